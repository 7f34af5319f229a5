"""Amazon's stateOrRegion -> Odoo's state, per marketplace country, against Odoo 19's own state list.

The list is the one the Odoo stand-in seeds from (sandbox/amzodoo_sandbox/odoo/data/res_country_state.csv, read
from a real Odoo 19 database by scripts/odoo_states.py). The spellings are the ones addresses carry: local and
English names, abbreviations, with and without accents, in the wrong case, counties and provinces.
"""

from __future__ import annotations

from collections import defaultdict

import pycountry
import pytest

from amzodoo.transform.region_names import ALIASES, ISO_TO_ODOO
from amzodoo.transform.regions import resolve_state
from amzodoo_sandbox.odoo.seed import odoo_states

MARKETPLACE_COUNTRIES = ("US", "CA", "MX", "BR", "GB", "IE", "DE", "FR", "IT", "ES", "NL", "BE", "SE", "PL", "TR",
                         "AE", "SA", "EG", "IN", "JP", "AU", "SG", "ZA")


def _states() -> dict[str, list[tuple[str, str]]]:
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in odoo_states():
        by_country[row["country_code"]].append((row["code"], row["name"]))
    return dict(by_country)


ODOO_19 = _states()

# (country, what Amazon sent, Odoo 19's state code or None)
CASES = {
    "US": [("CA", "CA"), ("ca", "CA"), ("California", "CA"), ("CALIFORNIA", "CA"), ("US-NY", "NY"),
           ("New York State", "NY"), ("N.Y.", "NY"), ("Washington, DC", "DC"), ("D.C.", "DC"),
           ("District of Columbia", "DC"), ("Puerto Rico", "PR"), ("AE", "AE"), ("Míchigan", "MI"),
           ("Carolina del Norte", "NC"), ("Nowhere", None)],
    "CA": [("QC", "QC"), ("Québec", "QC"), ("quebec", "QC"), ("Que.", "QC"), ("PQ", "QC"), ("Ont.", "ON"),
           ("B.C.", "BC"), ("Colombie-Britannique", "BC"), ("Nouvelle-Écosse", "NS"), ("P.E.I.", "PE"),
           ("Île-du-Prince-Édouard", "PE"), ("Nfld", "NL"), ("Terre-Neuve-et-Labrador", "NL"), ("N.W.T.", "NT"),
           ("Alta", "AB"), ("Sask.", "SK"), ("Yukon", "YT")],
    "MX": [("Ciudad de México", "CMX"), ("CIUDAD DE MEXICO", "CMX"), ("CDMX", "CMX"), ("Distrito Federal", "CMX"),
           ("D.F.", "CMX"), ("Mexico City", "CMX"), ("Estado de México", "MEX"), ("Edo. de México", "MEX"),
           ("Edomex", "MEX"), ("México", "MEX"), ("Nuevo León", "NLE"), ("Nuevo Leon", "NLE"), ("N.L.", "NLE"),
           ("Jal.", "JAL"), ("Jalisco", "JAL"), ("Veracruz de Ignacio de la Llave", "VER"),
           ("Michoacán de Ocampo", "MIC"), ("Coahuila de Zaragoza", "COA"), ("Q. Roo", "ROO"),
           ("Quintana Roo", "ROO"), ("Yucatan", "YUC"), ("BCS", "BCS"), ("Gto.", "GUA"), ("Qro", "QUE")],
    "BR": [("SP", "SP"), ("São Paulo", "SP"), ("Sao Paulo", "SP"), ("sao paulo", "SP"), ("RJ", "RJ"),
           ("Rio de Janeiro", "RJ"), ("Distrito Federal", "DF"), ("Brasília", "DF"), ("Goias", "GO"),
           ("Paraná", "PR"), ("Estado de Minas Gerais", "MG"), ("Rio Grande do Sul", "RS")],
    "GB": [("Greater London", "Q1"), ("London", "Q1"), ("Westminster", "Q1"), ("Kent", "O5"), ("KENT", "O5"),
           ("Essex", "G9"), ("West Yorkshire", "X7"), ("W Yorks", "X7"), ("Leeds", "X7"), ("Manchester", "P5"),
           ("Greater Manchester", "P5"), ("Lancs", "P5"), ("Merseyside", "Q3"), ("Liverpool", "Q3"),
           ("Co Durham", "E1"), ("County Durham", "E1"), ("Durham", "E1"), ("Hants", "I1"), ("Hampshire", "I1"),
           ("Middlesex", "Q9"), ("Tyne & Wear", "W5"), ("Tyne and Wear", "W5"), ("Bristol", "A9"),
           ("City of Bristol", "A9"), ("Birmingham", "X3"), ("Cardiff", "U9"), ("Swansea", "W9"),
           ("City of Edinburgh", "Q7"), ("Edinburgh", "Q7"), ("Glasgow City", "P3"), ("Glasgow", "P3"),
           ("Belfast", "D5"), ("County Antrim", "D5"), ("Co. Down", "D9"), ("Isle of Wight", "N9"),
           ("Cornwall", "E9"), ("Oxon", "S7"), ("Rutland", "P7"), ("GB-KEN", "O5"),
           ("England", None), ("Scotland", None), ("Yorkshire", None), ("Highland", None)],
    "IE": [("Dublin", "D"), ("Co. Dublin", "D"), ("County Dublin", "D"), ("Dublin 15", "D"), ("Dublin 6W", "D"),
           ("Baile Átha Cliath", "D"), ("Cork", "C"), ("Co Cork", "C"), ("Corcaigh", "C"), ("Galway", "G"),
           ("Tipperary", "TR"), ("Co. Kerry", "KY"), ("Connacht", None), ("Leinster", None)],
    "DE": [("Bayern", "DE-BY"), ("BAYERN", "DE-BY"), ("Bavaria", "DE-BY"), ("BY", "DE-BY"), ("DE-BY", "DE-BY"),
           ("Freistaat Bayern", "DE-BY"), ("Nordrhein-Westfalen", "DE-NW"), ("Nordrhein Westfalen", "DE-NW"),
           ("NRW", "DE-NW"), ("North Rhine-Westphalia", "DE-NW"), ("Baden-Württemberg", "DE-BW"),
           ("Baden-Wuerttemberg", "DE-BW"), ("Baden Wurttemberg", "DE-BW"), ("Thüringen", "DE-TH"),
           ("Thueringen", "DE-TH"), ("Thuringia", "DE-TH"), ("Niedersachsen", "DE-NI"), ("Lower Saxony", "DE-NI"),
           ("Hessen", "DE-HE"), ("Hesse", "DE-HE"), ("Berlin", "DE-BE"), ("Freie und Hansestadt Hamburg", "DE-HH"),
           ("Mecklenburg-Vorpommern", "DE-MV"), ("Sachsen-Anhalt", "DE-ST"), ("Sachsen", "DE-SN")],
    # Odoo 19 has no French states: nothing to resolve, whatever Amazon sends.
    "FR": [("Île-de-France", None), ("IDF", None), ("Paris", None), ("Bouches-du-Rhône", None)],
    "IT": [("Milano", "MI"), ("MI", "MI"), ("mi", "MI"), ("Milan", "MI"), ("Provincia di Milano", "MI"),
           ("Roma", "RM"), ("Rome", "RM"), ("RM", "RM"), ("Napoli", "NA"), ("Torino", "TO"), ("Firenze", "FI"),
           ("Forlì-Cesena", "FC"), ("Forli Cesena", "FC"), ("Monza e Brianza", "MB"), ("Monza e della Brianza", "MB"),
           ("L'Aquila", "AQ"), ("L Aquila", "AQ"), ("Bolzano", "BZ"), ("Bozen", "BZ"), ("Valle d'Aosta", "AO"),
           ("Aosta", "AO"), ("Reggio Emilia", "RE"), ("Reggio nell'Emilia", "RE"), ("Sud Sardegna", "SU"),
           ("Lombardia", None), ("Toscana", None), ("Sicilia", None)],
    "ES": [("Madrid", "M"), ("Comunidad de Madrid", "M"), ("M", "M"), ("Barcelona", "B"), ("Cataluña", None),
           ("La Coruña", "C"), ("A Coruña", "C"), ("Coruña", "C"), ("Alicante", "A"), ("Alacant", "A"),
           ("Illes Balears", "PM"), ("Islas Baleares", "PM"), ("Baleares", "PM"), ("Vizcaya", "BI"),
           ("Bizkaia", "BI"), ("Guipúzcoa", "SS"), ("Álava", "VI"), ("Araba", "VI"), ("Principado de Asturias", "O"),
           ("Asturias", "O"), ("Región de Murcia", "MU"), ("Murcia", "MU"), ("Navarra", "NA"), ("Cantabria", "S"),
           ("La Rioja", "LO"), ("Sevilla", "SE"), ("Seville", "SE"), ("Valencia", "V"), ("València", "V"),
           ("Comunitat Valenciana", None), ("Gerona", "GI"), ("Lérida", "L"), ("Orense", "OR"),
           ("Santa Cruz de Tenerife", "TF"), ("Las Palmas", "GC"), ("Castellón", "CS"), ("Ceuta", "CE"),
           ("Melilla", "ME"), ("Andalucía", None)],
    "NL": [("Noord-Holland", "NH"), ("Noord Holland", "NH"), ("noord-holland", "NH"), ("North Holland", "NH"),
           ("NH", "NH"), ("Zuid-Holland", "ZH"), ("South Holland", "ZH"), ("Noord-Brabant", "NB"),
           ("North Brabant", "NB"), ("Friesland", "FR"), ("Fryslân", "FR"), ("Utrecht", "UT"), ("Limburg", "LI"),
           ("Gelderland", "GE"), ("Bonaire", "BQ1")],
    "BE": [("Antwerpen", "VAN"), ("Antwerp", "VAN"), ("Anvers", "VAN"), ("Oost-Vlaanderen", "VOV"),
           ("Flandre-Orientale", "VOV"), ("East Flanders", "VOV"), ("West-Vlaanderen", "VWV"), ("Limburg", "VLI"),
           ("Limbourg", "VLI"), ("Vlaams-Brabant", "VBR"), ("Brabant wallon", "WBR"), ("Waals-Brabant", "WBR"),
           ("Liège", "WLG"), ("Liege", "WLG"), ("Luik", "WLG"), ("Lüttich", "WLG"), ("Hainaut", "WHT"),
           ("Henegouwen", "WHT"), ("Namur", "WNA"), ("Luxembourg", "WLX"),
           # Odoo 19 lists Belgium's provinces, and Brussels is none: it stays unmatched.
           ("Bruxelles", None), ("Brussels", None), ("Brussel", None)],
    "SE": [("Stockholm", "SE-AB"), ("Stockholms län", "SE-AB"), ("Stockholm County", "SE-AB"), ("AB", "SE-AB"),
           ("Västra Götaland", "SE-O"), ("Vastra Gotalands lan", "SE-O"), ("Skåne", "SE-M"), ("Skane", "SE-M"),
           ("Skåne län", "SE-M"), ("Uppsala", "SE-C"), ("Örebro", "SE-T"), ("Norrbotten", "SE-BD")],
    "PL": [("mazowieckie", "MZ"), ("Mazowieckie", "MZ"), ("Województwo mazowieckie", "MZ"), ("woj. mazowieckie", "MZ"),
           ("Masovian Voivodeship", "MZ"), ("MZ", "MZ"), ("dolnośląskie", "DŚ"), ("Dolnoslaskie", "DŚ"),
           ("Lower Silesian", "DŚ"), ("łódzkie", "ŁD"), ("Lodzkie", "ŁD"), ("śląskie", "ŚL"), ("Slaskie", "ŚL"),
           ("Silesian Voivodeship", "ŚL"), ("małopolskie", "MP"), ("Lesser Poland", "MP"), ("wielkopolskie", "WP"),
           ("Greater Poland", "WP"), ("pomorskie", "PM"), ("zachodniopomorskie", "ZP")],
    "TR": [("İstanbul", "34"), ("Istanbul", "34"), ("ISTANBUL", "34"), ("istanbul", "34"), ("İzmir", "35"),
           ("Izmir", "35"), ("Ankara", "06"), ("Şanlıurfa", "63"), ("Sanliurfa", "63"), ("Urfa", "63"),  # noqa: RUF001
           ("Afyon", "03"), ("Muğla", "48"), ("Mugla", "48"), ("Kahramanmaraş", "46"), ("06", "06")],
    "AE": [("Dubai", "DU"), ("DUBAI", "DU"), ("دبي", "DU"), ("Abu Dhabi", "AZ"), ("أبو ظبي", "AZ"),
           ("Sharjah", "SH"), ("الشارقة", "SH"), ("Ajman", "AJ"), ("Ras Al Khaimah", "RK"), ("Ras al-Khaimah", "RK"),
           ("RAK", "RK"), ("Umm Al Quwain", "UQ"), ("Fujairah", "FU"), ("Al Fujairah", "FU")],
    "SA": [("Riyadh", "RUH"), ("الرياض", "RUH"), ("Ar Riyad", "RUH"), ("Jeddah", "JED"), ("جدة", "JED"),
           ("Makkah", "MAK"), ("Mecca", "MAK"), ("Makkah al Mukarramah", "MAK"), ("Medina", "MED"),
           ("Al Madinah al Munawwarah", "MED"), ("Dammam", "DMM"), ("Ad Dammam", "DMM"), ("Al Khobar", "ALK"),
           ("Khobar", "ALK"), ("Qassim", "ELQ"), ("Al Qassim", "ELQ"), ("Jazan", "GIZ"), ("Tabuk", "TUU"),
           ("Eastern Province", None), ("Asir", None)],
    "EG": [("Cairo", "C"), ("القاهرة", "C"), ("Al Qahirah", "C"), ("Giza", "GZ"), ("Al Jizah", "GZ"),
           ("الجيزة", "GZ"), ("Alexandria", "ALX"), ("Alex", "ALX"), ("الإسكندرية", "ALX"), ("Al Sharqia", "SHR"),
           ("Sharqia", "SHR"), ("El Sharkia", "SHR"), ("Qalyubia", "KB"), ("Kalyoubia", "KB"), ("Luxor", "LX"),
           ("Red Sea", "BA"), ("Port Said", "PTS"), ("Kafr El Sheikh", "KFS"), ("Aswan", "ASN")],
    "IN": [("Maharashtra", "MH"), ("MAHARASHTRA", "MH"), ("MH", "MH"), ("महाराष्ट्र", "MH"), ("Karnataka", "KA"),
           ("Karnātaka", "KA"), ("Tamil Nadu", "TN"), ("Delhi", "DL"), ("New Delhi", "DL"), ("NCT of Delhi", "DL"),
           ("Chhattisgarh", "CG"), ("Chattisgarh", "CG"), ("Telangana", "TS"), ("TG", "TS"), ("Odisha", "OR"),
           ("Orissa", "OR"), ("Uttarakhand", "UK"), ("Uttaranchal", "UK"), ("Pondicherry", "PY"),
           ("Puducherry", "PY"), ("Andaman & Nicobar Islands", "AN"), ("Jammu & Kashmir", "JK"), ("J&K", "JK"),
           ("West Bengal", "WB"), ("Ladakh", None)],
    "JP": [("大阪府", "27"), ("大阪", "27"), ("Osaka", "27"), ("Ōsaka", "27"), ("Osaka-fu", "27"),
           ("Osaka Prefecture", "27"), ("OSAKA", "27"), ("東京都", "13"), ("東京", "13"), ("Tokyo", "13"),
           ("Tokyo-to", "13"), ("Toukyou", "13"), ("北海道", "01"), ("Hokkaido", "01"), ("Hokkaidō", "01"),
           ("京都府", "26"), ("Kyoto", "26"), ("Kyoto-fu", "26"), ("愛知県", "23"), ("Aichi-ken", "23"),
           ("兵庫県", "28"), ("Hyōgo", "28"), ("Hyogo", "28"), ("高知県", "39"), ("Kōchi", "39"), ("Kouchi", "39"),
           ("沖縄県", "47"), ("神奈川県", "14"), ("Kanagawa", "14"), ("JP-13", "13"), ("13", "13")],
    "AU": [("NSW", "NSW"), ("N.S.W.", "NSW"), ("New South Wales", "NSW"), ("Vic", "VIC"), ("VIC", "VIC"),
           ("Victoria", "VIC"), ("Qld", "QLD"), ("Queensland", "QLD"), ("WA", "WA"), ("Western Australia", "WA"),
           ("SA", "SA"), ("Tas", "TAS"), ("Tasmania", "TAS"), ("ACT", "ACT"), ("NT", "NT"),
           ("Jervis Bay Territory", None)],
    # Odoo 19 has no Singapore states.
    "SG": [("Singapore", None), ("Central Region", None), ("SG", None)],
    "ZA": [("Gauteng", "GP"), ("GP", "GP"), ("KwaZulu-Natal", "KZN"), ("KwaZulu Natal", "KZN"), ("KZN", "KZN"),
           ("Western Cape", "WC"), ("Wes-Kaap", "WC"), ("Eastern Cape", "EC"), ("Free State", "FS"),
           ("Vrystaat", "FS"), ("North West", "NW"), ("North-West", "NW"), ("Limpopo", "LP")],
}


def test_every_marketplace_country_has_cases():
    assert sorted(CASES) == sorted(MARKETPLACE_COUNTRIES)


@pytest.mark.parametrize(("country", "text", "expected"),
                         [(country, text, expected) for country, cases in CASES.items() for text, expected in cases])
def test_amazon_region_resolves_to_odoo_state(country, text, expected):
    assert resolve_state(country, text, ODOO_19.get(country, [])) == expected


def test_odoo_19_has_no_french_or_singapore_states():
    assert "FR" not in ODOO_19 and "SG" not in ODOO_19


@pytest.mark.parametrize("country", [c for c in MARKETPLACE_COUNTRIES if c in ODOO_19])
def test_every_odoo_state_resolves_from_its_own_code_and_name(country):
    wrong = [(code, name) for code, name in ODOO_19[country]
             if resolve_state(country, code, ODOO_19[country]) != code
             or resolve_state(country, name, ODOO_19[country]) not in _same_name(country, name)]
    assert wrong == []


def _same_name(country: str, name: str) -> set[str]:
    """Odoo lists a few Saudi places twice (Al Khobar, Buraydah): either code is that place."""
    return {code for code, other in ODOO_19[country] if other == name}


def test_uk_is_great_britain():
    assert resolve_state("UK", "Greater London", ODOO_19["GB"]) == "Q1"


def test_nothing_resolves_without_text_or_states():
    assert resolve_state("DE", None, ODOO_19["DE"]) is None
    assert resolve_state("DE", "  ", ODOO_19["DE"]) is None
    assert resolve_state(None, "Bayern", ODOO_19["DE"]) is None
    assert resolve_state("DE", "Bayern", []) is None


def test_a_state_missing_from_the_database_is_not_invented():
    """Resolution only ever names a state the given list holds: a database without Bavaria gets nothing."""
    without = [(code, name) for code, name in ODOO_19["DE"] if code != "DE-BY"]
    assert resolve_state("DE", "Bavaria", without) is None
    assert resolve_state("GB", "Manchester", [(c, n) for c, n in ODOO_19["GB"] if n != "Lancashire"]) is None


def test_aliases_and_iso_mappings_name_real_odoo_19_states():
    missing = [(country, target) for country, table in (*ALIASES.items(), *ISO_TO_ODOO.items())
               for target in table.values() if target not in {name for _, name in ODOO_19.get(country, [])}]
    assert missing == []
    iso = {country: {s.code.split("-", 1)[1] for s in pycountry.subdivisions.get(country_code=country)}
           for country in ISO_TO_ODOO}
    assert [(c, code) for c, table in ISO_TO_ODOO.items() for code in table if code not in iso[c]] == []


def test_a_lower_level_resolves_to_the_level_a_database_stores():
    """Where a database lists Italy's regions instead of its provinces, a province names its region; where it lists
    Spain's communities, a province names its community (ISO 3166-2 parents)."""
    italian_regions = [("25", "Lombardia"), ("62", "Lazio"), ("52", "Toscana")]
    assert resolve_state("IT", "Milano", italian_regions) == "25"
    assert resolve_state("IT", "RM", italian_regions) == "62"
    assert resolve_state("IT", "Firenze", italian_regions) == "52"
    assert resolve_state("IT", "Napoli", italian_regions) is None
    spanish_communities = [("CT", "Cataluña"), ("MD", "Comunidad de Madrid")]
    assert resolve_state("ES", "Barcelona", spanish_communities) == "CT"
    assert resolve_state("ES", "Gerona", spanish_communities) == "CT"
