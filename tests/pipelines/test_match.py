import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to

from claims.ids import stable_id
from claims.mentions import extract_mentions
from pipelines.match import MatchClaims


def test_match_claims_clusters_same_claims_and_reports_conflicts(pipeline):
    mentions = (extract_mentions("a1", "No one was injured in the warehouse fire. About 40 firefighters battled "
                                       "the blaze overnight.") +
                extract_mentions("a2", "Nobody was injured in the warehouse fire, officials said. More than 60 "
                                       "firefighters battled the blaze overnight.") +
                extract_mentions("a3", "The band cancelled its autumn tour of twelve cities."))
    ids = {m.article_id + ":" + m.text.split()[0]: m.claim_id for m in mentions}
    injured = sorted([ids["a1:No"], ids["a2:Nobody"]])
    fought = sorted([ids["a1:About"], ids["a2:More"]])
    with pipeline as p:
        out = p | beam.Create(mentions) | MatchClaims()
        assert_that(out["matches"] | beam.Map(lambda m: (m.claim_id_a, m.claim_id_b, m.relation)),
                    equal_to([(*injured, "same_claim"), (*fought, "conflict")]), label="matches")
        centre = stable_id("k", injured[0])
        assert_that(out["assignments"] | beam.Map(lambda kv: (kv[0], kv[1][0])), equal_to(
            [(injured[0], centre), (injured[1], centre)] +
            [(cid, stable_id("k", cid)) for cid in (*fought, ids["a3:The"])]), label="assignments")
        assert_that(out["conflicts"], equal_to([tuple(fought)]), label="conflicts")


def test_match_claims_never_clusters_conflicting_mentions_together(pipeline):
    texts = {"c": "Firefighters battled the blaze at the warehouse through the night.",
             "a": "About 40 firefighters battled the blaze at the warehouse through the night.",
             "b": "More than 60 firefighters battled the blaze at the warehouse through the night."}
    mentions = [m for aid, t in texts.items() for m in extract_mentions(aid, t)]
    article_of = {m.claim_id: m.article_id for m in mentions}

    def forty_and_sixty_apart(assignments):
        cluster = {article_of[cid]: cluster_id for cid, (cluster_id, _) in assignments}
        assert cluster["a"] != cluster["b"], cluster
        assert cluster["c"] in (cluster["a"], cluster["b"]), cluster

    with pipeline as p:
        out = p | beam.Create(mentions) | MatchClaims()
        assert_that(out["assignments"], forty_and_sixty_apart)
