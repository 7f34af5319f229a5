"""Buyer names and delivery places per country, with the accents and scripts real buyers use."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    city: str
    state: str | None
    postal_code: str


FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("James", "María", "Chloé", "Wei", "Aaliyah", "José", "Zoë", "Nguyễn"),
    "CA": ("Émilie", "Liam", "François", "Olivia", "Siobhán", "Gaëtan"),
    "MX": ("José", "Lucía", "Ángel", "Sofía", "Iñaki", "Ximena"),
    "DE": ("Jürgen", "Lena", "Björn", "Sören", "Müzeyyen", "Ilse"),
    "FR": ("Hélène", "François", "Zoé", "Noël", "Anaïs", "Loïc"),
    "GB": ("Oliver", "Siân", "Niamh", "Dáithí", "Amelia", "Rhys"),
    "IT": ("Niccolò", "Giulia", "Mattia", "Chiara", "Nicolò", "Ludovica"),
    "ES": ("Íñigo", "Lucía", "Begoña", "Martín", "Núria", "Jesús"),
    "NL": ("Daan", "Sanne", "Joëlle", "Bram", "Fenna", "Eliëtte"),
    "JP": ("陽翔", "さくら", "Haruto", "結衣", "Yuki", "蓮"),
    "AU": ("Charlotte", "Jack", "Mia", "Liam", "Chloé", "Ngaio"),
    "SG": ("Wei Ling", "Muhammad", "Priya", "Jun Jie", "Siti", "美玲"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "US": ("Smith", "García", "O'Connor", "Nguyen", "Johnson", "Zhang", "Müller-Brown"),
    "CA": ("Tremblay", "Côté", "Gagnon", "MacDonald", "Bouchard", "Lévesque"),
    "MX": ("Hernández", "Núñez", "Pérez", "Gómez", "Martínez", "Peña"),
    "DE": ("Müller", "Schäfer", "Groß", "Öztürk", "Weiß", "Köhler"),
    "FR": ("Lefèvre", "Dubois", "Gérard", "Bénard", "Rousseau", "Faÿ"),
    "GB": ("Smith", "O'Brien", "Jones", "Ní Bhriain", "Taylor", "Llewellyn"),
    "IT": ("Rossi", "Ferrari", "D'Angelo", "Esposito", "Bianchi", "Galli"),
    "ES": ("García", "Muñoz", "Ibáñez", "López", "Fernández", "Castaño"),
    "NL": ("de Vries", "van den Berg", "Jansen", "Bakker", "van Dijk", "Smit"),
    "JP": ("佐藤", "鈴木", "Takahashi", "田中", "Watanabe", "伊藤"),
    "AU": ("Smith", "Nguyen", "Williams", "O'Neill", "Brown", "Papadopoulos"),
    "SG": ("Tan", "Lim", "Rahman", "Pillai", "Ng", "黄"),
}
STREETS: dict[str, tuple[str, ...]] = {
    "US": ("{n} Main St", "{n} Pine Ave Apt {a}", "{n} Elm Street"),
    "CA": ("{n} rue Saint-Denis", "{n} King St W", "{n} Côte-des-Neiges"),
    "MX": ("Av. Insurgentes Sur {n}", "Calle Niños Héroes {n}", "Av. Revolución {n}"),
    "DE": ("Hauptstraße {n}", "Königsallee {n}", "Am Schloßpark {n}"),
    "FR": ("{n} rue de la Paix", "{n} avenue des Champs-Élysées", "{n} rue du Faubourg Saint-Honoré"),
    "GB": ("{n} High Street", "Flat {a}, {n} Queen's Road", "{n} Church Lane"),
    "IT": ("Via Roma {n}", "Corso Vittorio Emanuele II {n}", "Piazza del Popolo {n}"),
    "ES": ("Calle Mayor {n}", "Avenida de la Constitución {n}", "Carrer de Sant Pere {n}"),
    "NL": ("Keizersgracht {n}", "Damrak {n}", "Oudegracht {n}"),
    "JP": ("千代田区丸の内1-{n}", "渋谷区神南1-{n}-{a}", "中央区銀座{a}-{n}"),
    "AU": ("{n} George St", "Unit {a}, {n} Collins St", "{n} Queen St"),
    "SG": ("{n} Orchard Road #{a}-01", "Blk {n} Ang Mo Kio Ave 3 #{a}-12", "{n} Marina Boulevard"),
}
PLACES: dict[str, tuple[Place, ...]] = {
    "US": (
        Place("Seattle", "WA", "98101"),
        Place("Los Angeles", "CA", "90012"),
        Place("New York", "NY", "10001"),
        Place("Austin", "TX", "78701"),
        Place("Portland", "OR", "97205"),
        Place("Miami", "FL", "33101"),
    ),
    "CA": (
        Place("Toronto", "ON", "M5V 2T6"),
        Place("Montréal", "QC", "H2X 1Y4"),
        Place("Calgary", "AB", "T2P 1J9"),
        Place("Vancouver", "BC", "V6B 1A1"),
    ),
    "MX": (
        Place("Ciudad de México", "CDMX", "06700"),
        Place("Guadalajara", "JAL", "44100"),
        Place("Monterrey", "NL", "64000"),
    ),
    "DE": (Place("München", "Bayern", "80331"), Place("Köln", "NRW", "50667"), Place("Berlin", None, "10115")),
    "FR": (Place("Paris", None, "75008"), Place("Orléans", None, "45000"), Place("Besançon", None, "25000")),
    "GB": (Place("London", None, "SW1A 1AA"), Place("Cardiff", None, "CF10 1EP"), Place("Leeds", None, "LS1 4AP")),
    "IT": (Place("Milano", "MI", "20121"), Place("Forlì", "FC", "47121"), Place("Napoli", "NA", "80121")),
    "ES": (
        Place("Madrid", "Madrid", "28013"),
        Place("A Coruña", "A Coruña", "15001"),
        Place("Málaga", "Málaga", "29001"),
    ),
    "NL": (Place("Amsterdam", None, "1012 AB"), Place("Utrecht", None, "3511 AA"), Place("Den Haag", None, "2511 CV")),
    "JP": (
        Place("東京都", "東京都", "100-0005"),
        Place("Osaka", "大阪府", "530-0001"),
        Place("札幌市", "北海道", "060-0001"),
    ),
    "AU": (Place("Sydney", "NSW", "2000"), Place("Melbourne", "VIC", "3000"), Place("Brisbane", "QLD", "4000")),
    "SG": (Place("Singapore", None, "238859"), Place("Singapore", None, "560123"), Place("Singapore", None, "018956")),
}
COMPANIES: tuple[str, ...] = (
    "Acme Supplies LLC",
    "Müller & Söhne GmbH",
    "Société Générale d'Équipement SARL",
    "Tecnologías Ibéricas S.L.",
    "Northwind Traders Ltd",
    "Forniture Italiane S.r.l.",
)
GIFT_MESSAGES: tuple[str, ...] = (
    "Happy birthday! 🎉",
    "Alles Gute zum Geburtstag, Jürgen!",
    "Joyeux Noël et bonne année ❄",
    "¡Feliz cumpleaños, Lucía!",
    "Congratulations on the new home",
    "Tanti auguri!",
)
PHONE_PREFIX: dict[str, str] = {
    "US": "+1 206 555",
    "CA": "+1 416 555",
    "MX": "+52 55 5555",
    "DE": "+49 89 1234",
    "FR": "+33 1 4020",
    "GB": "+44 20 7946",
    "IT": "+39 02 8888",
    "ES": "+34 91 555",
    "NL": "+31 20 555",
    "JP": "+81 3 5555",
    "AU": "+61 2 5550",
    "SG": "+65 6555",
}


def for_country(table: dict, country: str):
    """The country's entry, or the UK's for countries the sandbox has no local data for (BR, SE, PL, ...)."""
    return table.get(country, table["GB"])
