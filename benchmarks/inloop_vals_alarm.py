"""False-positive rate of caseload signals on a null gemeente with an inloop (issue 10).

Measured, not tested: for each seed the sample generator (``voorbeelddata``) makes the
three gemeenten; :func:`voorbeelddata.zonder_beginvoorraad` removes the opening stock and
cuts the data at 30 June 2025 (the export a new user often gets). Oosterwaarde has no
planted effect, so its true caseload has no trend. The script runs the batch's own
selection (``resultaten._voor_fit``) and the same analysis calls as ``resultaten._analyses`` for
caseload and caseload per fte, and counts per seed:

* trend: a series (gemeente total or a team) whose quarterly trend is reported as rising
  or falling (p < 0.05; in the "met" run also confirmed by a flow trend, as the batch
  does: ``resultaten._bevestig_voorraden``);
* SPC: a series with an SPC signal in the last ``resultaten.SPC_VENSTER_MAANDEN`` months
  (the batch no longer runs SPC on stocks; this row shows why);

once with the inloop handling of the batch (inloop and incomplete rows dropped, stock trends
confirmed by a flow) and once without the batch's handling. Since issue 12 the analysis
functions themselves skip ``inloop``/``volledig == False`` rows, so the second run shows the
effect of the inloop rule without the flow confirmation; the numbers of the code before issue 10
(every row fitted: 23.7% trend, 45% SPC) are in the README.

Expected: the trend test is a 5% test per series, so about 5% of the series (and
1 − 0.95^k of the gemeenten with k series, if independent) without the inloop; the old
behaviour should be far above that because the build-up is a real rise in the data.

Usage::

    .venv/bin/python benchmarks/inloop_vals_alarm.py --seeds 40
"""

from __future__ import annotations

import argparse
import warnings

import pandas as pd

from monitoranalyse import indicatoren as ind
from monitoranalyse import voorbeelddata as vd
from monitoranalyse.analyse import resultaten, spc, trend
from monitoranalyse.invoer.monitordata import Monitordata

CODES = ("caseload", "caseload_per_fte")
STROMEN = ("instroom", "uitstroom")


def een_seed(seed: int, schaal: float, gemeente: str = "Oosterwaarde") -> dict:
    md = Monitordata(tabellen=vd.zonder_beginvoorraad(vd.genereer_tabellen(seed=seed, schaal=schaal)))
    mdg = md.voor_gemeente(gemeente)
    kw = ind.bereken(mdg, periode="kwartaal", indicatoren=list(CODES + STROMEN))
    maand = ind.bereken(mdg, periode="maand", indicatoren=list(CODES))
    uit = {"seed": seed, "inloop_maanden": int(ind.inloop(mdg)["inloop_maanden"].iloc[0])}
    for naam, filt in (("met", resultaten._voor_fit), ("zonder", lambda t: t)):
        tr = trend.trend(filt(kw))
        if naam == "met":  # the batch: stock trends need confirmation by a flow trend
            tr = resultaten._bevestig_voorraden(tr)
        tr = tr[tr["indicator"].isin(CODES)]
        sig_tr = tr[tr["richting"].isin(["stijgend", "dalend"])]
        s = spc.spc(filt(maand))
        sig = spc.spc_signalen(s)
        if len(sig):
            grens = s["periode_start"].max() - pd.DateOffset(months=resultaten.SPC_VENSTER_MAANDEN - 1)
            sig = sig[(sig["periode_start"] >= grens) & sig["soort"].isin(["zorg", "verbetering"])]
        series_spc = sig.groupby(["wijkteam", "indicator"]).ngroups if len(sig) else 0
        uit[f"{naam}_n_series"] = len(tr)
        uit[f"{naam}_trend_series"] = len(sig_tr)
        uit[f"{naam}_trend_totaal"] = int((sig_tr["wijkteam"] == "Totaal").any())
        uit[f"{naam}_spc_series"] = series_spc
        uit[f"{naam}_spc_totaal"] = int(len(sig) > 0 and (sig["wijkteam"] == "Totaal").any())
    return uit


def main() -> None:
    warnings.filterwarnings("ignore")
    a = argparse.ArgumentParser()
    a.add_argument("--seeds", type=int, default=40)
    a.add_argument("--schaal", type=float, default=1.0)
    args = a.parse_args()
    rijen = [een_seed(s, args.schaal) for s in range(1, args.seeds + 1)]
    df = pd.DataFrame(rijen)
    print(df.to_string(index=False))
    for naam in ("met", "zonder"):
        n = df[f"{naam}_n_series"].sum()
        print(f"\n{naam} inloop-behandeling ({len(df)} seeds, {n} reeksen caseload/caseload per fte):")
        print(f"  trend p<0,05: {df[f'{naam}_trend_series'].sum() / n:.1%} van de reeksen; "
              f"gemeentetotaal: {df[f'{naam}_trend_totaal'].mean():.1%} van de seeds")
        print(f"  SPC-signaal in de laatste {resultaten.SPC_VENSTER_MAANDEN} maanden: "
              f"{df[f'{naam}_spc_series'].sum() / n:.1%} van de reeksen; "
              f"gemeentetotaal: {df[f'{naam}_spc_totaal'].mean():.1%} van de seeds")
    print(f"\ninloop (maanden): mediaan {df['inloop_maanden'].median():.0f}, "
          f"bereik {df['inloop_maanden'].min()}–{df['inloop_maanden'].max()}")


if __name__ == "__main__":
    main()
