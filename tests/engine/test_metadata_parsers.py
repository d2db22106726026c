"""Unit tests of the pure metadata parsers (coordinates, elevation, dates, names, groundwater)."""

from __future__ import annotations

import pytest

from stratigraphy.metadata.coordinates import parse_coordinates
from stratigraphy.metadata.dates import parse_date
from stratigraphy.metadata.elevation import parse_elevation
from stratigraphy.metadata.groundwater import find_readings, is_dry
from stratigraphy.metadata.names import find_name
from stratigraphy.model import CoordinateSystem

LV95, LV03 = CoordinateSystem.LV95, CoordinateSystem.LV03


@pytest.mark.parametrize(
    ("text", "east", "north", "system"),
    [
        ("Koordinaten: 2'600'123 / 1'200'456", 2_600_123, 1_200_456, LV95),
        ("Koord. 2 498 501.24 / 1 114 246.48", 2_498_501.24, 1_114_246.48, LV95),
        ("COORDONNEES 2.545.210 / 1.152.330", 2_545_210, 1_152_330, LV95),
        ("Coordinates 2,611,000 / 1,267,500", 2_611_000, 1_267_500, LV95),
        ("E 2600123.5 N 1200456.25", 2_600_123.5, 1_200_456.25, LV95),
        ("N 1'200'456 / E 2'600'123", 2_600_123, 1_200_456, LV95),
        ("Y = 615 790  X = 157 500", 615_790, 157_500, LV03),
        ("Koordinaten : 615 790 / 157 500", 615_790, 157_500, LV03),
        ("607 562 /187 087.50", 607_562, 187_087.5, LV03),
        ("coord. 615790/157500", 615_790, 157_500, LV03),
        ("615 790 157 500", 615_790, 157_500, LV03),
        ("X: 157'500 Y: 615'790", 615_790, 157_500, LV03),
        ("Koordinaten 2’600’123 / 1’200’456", 2_600_123, 1_200_456, LV95),
    ],
)
def test_coordinates(text: str, east: float, north: float, system: CoordinateSystem) -> None:
    c = parse_coordinates(text)
    assert c is not None, text
    assert (c.east, c.north, c.system) == (pytest.approx(east), pytest.approx(north), system)


@pytest.mark.parametrize(
    "text",
    [
        "Tel. 031 381 90 07",
        "Fax 031/3813115",
        "Gt. Nr.: 131.3002.002",
        "Massstab 1:100",
        "21.5.1999",
        "Koordinaten: unbekannt",
        "2'600'123",
        "Auftrag 4711 / 2013",
        "900 000 / 400 000",
    ],
)
def test_not_coordinates(text: str) -> None:
    assert parse_coordinates(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Kote 456.20 m ü.M.", 456.2),
        ("Höhe in m ü.M.: 668,99", 668.99),
        ("Kote Bezugspunkt : ~788,6 m ü. M.", 788.6),
        ("ca. 436.6 mü.M.", 436.6),
        ("ca. 437.2 m U.M.", 437.2),
        ("OK Terrain 512.35", 512.35),
        ("Terrainkote: 1'012.5 m", 1012.5),  # thousands apostrophe
        ("Kote 1’250.40 m ü.M.", 1250.4),
        ("ALTITUDE DE DEPART 372.15 m", 372.15),
        ("Altitude: 512.40 m", 512.4),
        ("Quota 273.50 m s.l.m.", 273.5),
        ("Elevation 402.10 m a.s.l.", 402.1),
        ("Kote 456 m ü.M.", 456.0),
        ("Altitude: 512 m", 512.0),
    ],
)
def test_elevation(text: str, value: float | None) -> None:
    assert parse_elevation(text) == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize(
    "text",
    [
        "Höhe 2.50 m",
        "Datum 1999",
        "Kote 1999",
        "Tiefe 668.99",
        "Massstab 1:100",
        "Höhe Rohr 1000 mm",
        "Kote Auftrag 2013, Plan 455",
    ],
)
def test_not_elevation(text: str) -> None:
    assert parse_elevation(text) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Begonnen: 19.5.1999", "1999-05-19"),
        ("Ausführungsdatum 2.-3. 9. 1995", "1995-09-03"),
        ("Date: 2013-06-20", "2013-06-20"),
        ("20/06/2013", "2013-06-20"),
        ("le 14 mars 2008", "2008-03-14"),
        ("3. September 1995", "1995-09-03"),
        ("Datum 20.06.13", "2013-06-20"),
        ("31.02.2010", None),
        ("0.25/06/09/1.35", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bohrung KB 3", "KB 3"),
        ("Sondierbohrung : SST KB 5", "SST KB 5"),
        ("SONDAGE S 4", "S 4"),
        ("Forage F12", "F12"),
        ("Sondaggio S 7", "S 7"),
        ("Borehole BH 7a", "BH 7a"),
        ("RB 2 / I", "RB 2 / I"),
        ("GWR g 1-11", "GWR g 1-11"),
    ],
)
def test_names(text: str, name: str) -> None:
    match = find_name(text)
    assert match is not None and match.name == name
    assert text[match.start : match.end] == name


@pytest.mark.parametrize(
    "text", ["Bohrung trocken", "Kies, sandig", "Seite 1/2", "Bohrung 2013 ausgeführt"]
)
def test_not_names(text: str) -> None:
    assert find_name(text) is None


def test_groundwater_readings() -> None:
    (r,) = find_readings("GW 2.65 m (20.06.2013)")
    assert (r.depth, r.date) == (2.65, "2013-06-20")
    (r,) = find_readings("Niveau de la nappe: -3.10 m (15.03.2008)")
    assert (r.depth, r.date) == (3.1, "2008-03-15")
    (r,) = find_readings("Grundwasserspiegel 4.20 m = 452.30 m ü.M.")
    assert (r.depth, r.elevation) == (4.2, 452.3)
    assert [m.depth for m in find_readings("▽ 1.80 m")] == [1.8]
    assert find_readings("Kies 2.65 m") == []  # no water label
    assert find_readings("HW MW NW") == []
    assert find_readings("Kies, grundwasserführend, 5.40") == []
    assert (
        find_readings("Grundwasser: nach 2 Tagen im Bohrloch gemessen, Rohr bis 12.50 m verfüllt")
        == []
    )
    assert is_dry("Ganze Bohrung trocken") and is_dry("forage sec")


@pytest.mark.parametrize(
    ("text", "depths"),
    [
        ("WATER OBSERVATIONS: Groundwater between 11.5 and 12.7 m.", [11.5]),
        ("Grundwasser zwischen 3.20 und 4.10 m", [3.2]),
        ("niveau de la nappe entre 1,50 et 2,00 m", [1.5]),
        ("Wasserspiegel: 1.20 m, 1.45 m", [1.2, 1.45]),
    ],
)
def test_water_met_over_a_range_is_read_at_its_top(text: str, depths: list[float]) -> None:
    assert [m.depth for m in find_readings(text)] == depths
