"""Domain logic for claimbeam: pure Python, no Apache Beam.

Every rule here (record parsing, sentence splitting, attribution, copy
detection, claim matching, clustering and corroboration scoring) is a plain
function or a create/add/merge/extract combiner, so it can be tested with a
plain call and wrapped by Beam in `pipelines/`.
"""
