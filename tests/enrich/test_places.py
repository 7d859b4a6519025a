"""Offline gazetteer: names, alternate spellings and demonyms to coordinates and countries."""
from newstrace.enrich.places import country_of_demonym, geocode


def test_city_found_by_alternate_name():
    p = geocode("Grodno")  # the gazetteer's name is Hrodna
    assert p is not None and p.name == "Hrodna" and p.country == "Belarus"
    assert abs(p.lat - 53.68) < 0.05 and abs(p.lon - 23.83) < 0.05


def test_capitals_and_resorts_have_coordinates():
    for name, cc in (("Minsk", "BY"), ("Sochi", "RU"), ("Brussels", "BE")):
        p = geocode(name)
        assert p is not None and p.country_code == cc and p.lat is not None and p.lon is not None


def test_countries_and_press_spellings():
    assert geocode("Poland").kind == "country"
    assert geocode("U.S.").name == geocode("the United States").name == "United States"
    assert geocode("Britain").country_code == "GB"
    assert geocode("the Republic of Belarus").name == "Belarus"


def test_unknown_place_is_none_not_an_error():
    assert geocode("Bruzgi") is None
    assert geocode("") is None


def test_demonyms_point_to_countries():
    assert country_of_demonym("Polish").name == "Poland"
    assert country_of_demonym("Belarusian").name == "Belarus"
    assert country_of_demonym("Americans").name == "United States"   # not a smaller territory sharing the word
    assert country_of_demonym("Martian") is None
