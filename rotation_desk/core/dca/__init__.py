"""Dollar-cost averaging, pure: the plan and its file format, the schedule, the backtest, the projection.

- ``plan``: the plan (``DcaPlan``), its problems (``PlanIssue``, ``PlanError``), the format's defaults
  and the size limits of a plan file; ``plan_fields`` checks one field; ``plan_json`` reads and writes
  the JSON text (``parse_plan``, ``parse_plan_text``, ``parse_plan_bytes``, ``plan_to_json``).
- ``money``: integer cents, largest-remainder splits, buy orders. ``cashflows``: XIRR and TWR.
- ``schedule``: buy dates on the NYSE calendar and the amounts; ``exports``: the text of the schedule
  CSV, the iCalendar file and the ledger CSV (``rotation_desk.data.dca_exports`` writes them).
- ``backtest`` (windows and checks), ``simulation`` (the buys, day by day), ``results`` (what a
  backtest returns and its JSON); ``projection``: the block bootstrap. ``rebalance``: the to-target
  rule (buy-only, in proportion to the shortfall), shared by the backtest and the next buy.
- The journal's side: ``buys`` (a buy really made, and its checks), ``holdings`` (holdings per ticker,
  the account over time, XIRR and TWR), ``tracking`` (scheduled buys on time, late, short or missed,
  behind plan, the plan's simulated account beside the real one), ``next_buy`` (what to buy next).

Nothing here reads or writes a file: ``rotation_desk.data.plan_files`` and ``dca_exports`` do.
"""
