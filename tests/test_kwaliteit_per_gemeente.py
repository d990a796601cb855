"""The data-quality table belongs to the gemeente (issue 10, §3) and the optional
``datum_verslag`` (issue 10, §5).

Expected values: the messy sample's manifest (``data_samples/rommelig/verwacht_quarantaine.csv``,
written by the generator next to the planted bad rows) and hand-made two-gemeente data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import ROMMELIG, VOORBEELD
from monitoranalyse import indicatoren as ind
from monitoranalyse.analyse import resultaten
from monitoranalyse.invoer.laden import laad
from monitoranalyse.invoer.monitordata import Monitordata


def _tr(ids, gemeente):
    n = len(ids)
    return pd.DataFrame({"traject_id": ids, "client_id": ids, "gemeente": gemeente, "wijkteam": "Noord",
                         "datum_melding": pd.Timestamp("2024-01-10")}).astype(
        {"traject_id": "string", "client_id": "string", "gemeente": "string", "wijkteam": "string"})


def test_kwaliteit_alleen_eigen_gemeente():
    # hand: A has 3 used trajecten and 2 quarantined records (one with two problems),
    # B 2 used and 1 quarantined, 1 record belongs to no gemeente of the data
    tr = pd.concat([_tr(["a1", "a2", "a3"], "A"), _tr(["b1", "b2"], "B")], ignore_index=True)
    q = pd.DataFrame({
        "tabel": ["trajecten"] * 5, "bestand": "trajecten.csv", "rij": [7, 7, 8, 9, 10],
        "kolom": ["leeftijd", "datum_melding", "leeftijd", "leeftijd", "gemeente"], "waarde": "x",
        "regel": ["buiten_bereik", "ongeldige_datum", "buiten_bereik", "buiten_bereik", "verplicht_leeg"],
        "melding": "m", "gemeente": ["A", "A", "A", "B", ""]})
    h = pd.DataFrame({"tabel": ["trajecten"], "bestand": ["trajecten.csv"], "sha256": ["0" * 64],
                      "rijen_gelezen": [9], "rijen_gebruikt": [5], "rijen_quarantaine": [4]})
    md = Monitordata(tabellen={"trajecten": tr}, quarantaine=q, herkomst=h)
    ka = resultaten.kwaliteit_tabel(md, "A")
    acc = ka[ka["omschrijving"] == "rijverantwoording"].set_index("tabel")
    assert acc.loc["trajecten", ["rijen_gelezen", "rijen_gebruikt", "rijen_quarantaine"]].tolist() == [5, 3, 2]
    assert acc.loc[resultaten.NIET_TOE_TE_WIJZEN, "rijen_quarantaine"] == 1
    regels = ka[ka["omschrijving"] != "rijverantwoording"].set_index("regel")["aantal_problemen"]
    assert regels.to_dict() == {"buiten_bereik": 2, "ongeldige_datum": 1}
    kb = resultaten.kwaliteit_tabel(md, "B")
    acc_b = kb[kb["omschrijving"] == "rijverantwoording"].set_index("tabel")
    assert acc_b.loc["trajecten", "rijen_gelezen"] == 3
    # dataset-wide (valideer, index.html) unchanged: read = used + quarantined over all
    alles = resultaten.kwaliteit_tabel(md)
    assert alles.loc[alles["tabel"] == "trajecten", "rijen_gelezen"].iloc[0] == 9


def test_laden_wijst_quarantaine_toe():
    # rommelig: inzet rows of a quarantined traject are attributed through their traject's
    # gemeente column; an inzet row pointing at an unknown traject (T9999999) cannot be
    q = laad(ROMMELIG).quarantaine
    manifest = pd.read_csv(ROMMELIG / "verwacht_quarantaine.csv")
    assert "gemeente" in q.columns
    onbekend = q[(q["tabel"] == "inzet") & (q["waarde"] == "T9999999")]
    assert len(onbekend) == 1 and onbekend["gemeente"].iloc[0] == ""
    gevolg = q[(q["tabel"] == "inzet") & (q["regel"] == "onbekend_traject") & (q["waarde"] != "T9999999")]
    assert len(gevolg) and (gevolg["gemeente"] == "Oosterwaarde").all()
    assert len(q.drop_duplicates(["tabel", "rij", "regel"])) == len(manifest.drop_duplicates(["tabel", "rij", "regel"]))


def test_verslag_voor_melding_in_quarantaine():
    # manifest: the generator planted one verslag five days before its melding
    m = pd.read_csv(ROMMELIG / "verwacht_quarantaine.csv")
    assert ((m["kolom"] == "datum_verslag") & (m["regel"] == "volgorde_datums")).sum() == 1
    q = laad(ROMMELIG).quarantaine
    assert ((q["kolom"] == "datum_verslag") & (q["regel"] == "volgorde_datums")).sum() == 1


def test_wettelijke_termijn_uit_verslag_anders_intake():
    md = laad(VOORBEELD).voor_gemeente("Lindeveen")
    t = ind.bereken(md, periode="jaar", indicatoren=["binnen_termijn_onderzoek", "onderzoek_binnen_termijn"])
    j = t[(t["wijkteam"] == "Totaal") & (t["periode_start"] == "2024-01-01")].set_index("indicator")
    # hand: share of 2024 meldingen with verslag within 42 days of the melding
    tr = md.trajecten
    m = tr[(tr["datum_melding"] >= "2024-01-01") & (tr["datum_melding"] <= "2024-12-31")]
    binnen = ((m["datum_verslag"] - m["datum_melding"]).dt.days <= 42).sum()
    assert j.loc["onderzoek_binnen_termijn", "teller"] == binnen
    assert j.loc["onderzoek_binnen_termijn", "noemer"] == len(m)
    # the verslag comes after the intake, so the legal share cannot exceed the intake share
    assert j.loc["onderzoek_binnen_termijn", "waarde"] <= j.loc["binnen_termijn_onderzoek", "waarde"]
    # without datum_verslag the legal indicator is absent and the intake one is named for
    # what it measures
    zonder = Monitordata(tabellen={"trajecten": tr.drop(columns="datum_verslag")})
    codes = set(ind.bereken(zonder, periode="jaar")["indicator"])
    assert "onderzoek_binnen_termijn" not in codes and "binnen_termijn_onderzoek" in codes
    assert ind.INDICATOREN["binnen_termijn_onderzoek"].naam == "Intake binnen zes weken"
    assert np.isfinite(j.loc["binnen_termijn_onderzoek", "waarde"])
