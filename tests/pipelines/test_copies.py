import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from claims.ids import stable_id
from pipelines.copies import DetectCopies

WIRE = ("PORT CALDER - A fire tore through a storage warehouse at the docks overnight, sending thick smoke over "
        "the harbor and forcing nearby residents from their homes. The blaze was reported shortly before "
        "midnight at a two-story building used to store pallets, rope and marine paint. About two hundred "
        "residents were moved to a shelter at the community center on Harbor Street. Investigators said the "
        "cause of the fire remained unknown and that the owner was cooperating with them.")


def test_detect_copies_links_copies_and_groups_them(pipeline, make_article):
    edited = WIRE.replace(" About two hundred residents were moved to a shelter at the community center on Harbor "
                          "Street.", "")
    other = ("Hollow Pines singer Mila Reyes spent the weekend in Lisbon recording new songs with a producer she "
             "met on tour last spring, her label said on Monday.")
    articles = [make_article("wire", WIRE, "Metro Wire"), make_article("copy", WIRE, "Northside Gazette"),
                make_article("edit", edited, "Harbor Times"), make_article("solo", other, "Celeb Buzz")]
    with pipeline as p:
        out = p | beam.Create(articles) | DetectCopies()
        assert_that(out["links"] | beam.Map(lambda link: (link.article_id_a, link.article_id_b, link.relation)),
                    # "wire" has the same words as "copy", so it is linked to it and compared no further
                    equal_to([("copy", "wire", "copy"), ("copy", "edit", "copy")]), label="links")
        group = stable_id("g", "copy")
        assert_that(out["copy_groups"], equal_to([("wire", group), ("copy", group), ("edit", group),
                                                  ("solo", stable_id("g", "solo"))]), label="groups")



def test_a_rewrite_that_credits_the_wire_joins_its_copy_group(pipeline, make_article):
    """A reprint with one sentence rewritten shares passages with the wire story, under the copy thresholds; its
    credit line names the wire's outlet, so the two are one copy group. An article that credits an outlet
    with no article in common stays on its own."""
    rewrite = WIRE.replace("The blaze was reported shortly before midnight at a two-story building used to store "
                           "pallets, rope and marine paint.", "Neighbours said they smelled smoke for an hour before "
                           "the first engines arrived, and one said the flames reached the roof within minutes.")
    other = ("Hollow Pines singer Mila Reyes spent the weekend in Lisbon recording new songs with a producer she "
             "met on tour last spring, her label said on Monday.\n\nThis article originally appeared on Metro Wire.")
    articles = [make_article("wire", WIRE, "Metro Wire"),
                make_article("reprint", rewrite + "\n\nThis story was provided by Metro Wire.", "Valley Post"),
                make_article("solo", other, "Celeb Buzz")]
    with pipeline as p:
        out = p | beam.Create(articles) | DetectCopies()
        assert_that(out["links"] | beam.Map(lambda link: (link.article_id_a, link.article_id_b, link.relation,
                                                          link.containment)),
                    equal_to([("reprint", "wire", "credited", 0.68)]), label="links")
        group = stable_id("g", "reprint")
        assert_that(out["copy_groups"], equal_to([("wire", group), ("reprint", group),
                                                  ("solo", stable_id("g", "solo"))]), label="groups")
