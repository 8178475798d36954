"""Pure Python Meldcode rules: the event vocabulary (events), the case fold (case), the steps,
the afwegingskader, age rules, deadlines, the other route for staff suspicions, the rules
(``rules.check``) and the guide (``guide.open_points``). Stdlib only; no UI, no store."""
