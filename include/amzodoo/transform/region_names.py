"""The names that neither Odoo's state list nor ISO 3166-2 (pycountry) know, as buyers and Amazon spell them.

Every target is a state name exactly as Odoo 19 ships it in ``res.country.state`` (tests check each one against
the list in the Odoo stand-in's data), so a table entry can never invent a state: where a database lacks the
target, the entry simply does not match.
"""

from __future__ import annotations

# The languages whose pycountry translations name a country's subdivisions the way its buyers write them
# (English is always added). Arabic has no pycountry translation: ALIASES carries the Arabic names.
COUNTRY_LANGUAGES: dict[str, tuple[str, ...]] = {
    "US": ("es",), "CA": ("fr",), "MX": ("es",), "BR": ("pt_BR", "pt"), "GB": ("cy",), "IE": ("ga",),
    "DE": ("de",), "AT": ("de",), "CH": ("de", "fr", "it"), "FR": ("fr",), "IT": ("it", "de", "fr"),
    "ES": ("es", "ca", "eu", "gl"), "NL": ("nl", "fy"), "BE": ("nl", "fr", "de"), "SE": ("sv",), "PL": ("pl",),
    "TR": ("tr",), "IN": ("hi",), "JP": ("ja",), "ZA": ("af", "zu", "xh"), "SG": ("ms", "zh_CN", "ta"),
}

# ISO 3166-2 subdivisions whose Odoo state neither shares their code nor their name -> that state's Odoo name.
ISO_TO_ODOO: dict[str, dict[str, str]] = {
    # Odoo's United Kingdom list is the former postal counties (Royal Mail, 1996); ISO lists today's council
    # areas, boroughs and unitary authorities. Each maps to the postal county that holds all or nearly all of it;
    # areas split between counties (Highland, Dumfries and Galloway, Scottish Borders, Eilean Siar, Conwy,
    # Trafford, Tameside, and five Northern Irish districts) stay unmapped rather than guessed.
    "GB": {
        **dict.fromkeys((
            "BDG", "BEN", "BEX", "BNE", "BRY", "CMD", "CRY", "EAL", "ENF", "GRE", "HAV", "HCK", "HIL", "HMF", "HNS",
            "HRW", "HRY", "ISL", "KEC", "KTT", "LBH", "LEW", "LND", "MRT", "NWM", "RDB", "RIC", "STN", "SWK", "TWH",
            "WFT", "WND", "WSM"), "London"),
        **dict.fromkeys(("BOL", "BUR", "MAN", "OLD", "RCH", "SLF", "WGN", "BBD", "BPL"), "Lancashire"),
        **dict.fromkeys(("SKP", "CHE", "CHW", "HAL", "WRT"), "Cheshire"),
        **dict.fromkeys(("KWL", "LIV", "SFT", "SHN", "WRL"), "Merseyside"),
        **dict.fromkeys(("BNS", "DNC", "ROT", "SHF"), "South Yorkshire"),
        **dict.fromkeys(("GAT", "NET", "NTY", "STY", "SND"), "Tyne and Wear"),
        **dict.fromkeys(("BIR", "COV", "DUD", "SAW", "SOL", "WLL", "WLV"), "West Midlands"),
        **dict.fromkeys(("BRD", "CLD", "KIR", "LDS", "WKF"), "West Yorkshire"),
        **dict.fromkeys(("BAS", "BST", "NSM", "SGC"), "Avon"),
        **dict.fromkeys(("BDF", "CBF", "LUT"), "Bedfordshire"),
        **dict.fromkeys(("BRC", "RDG", "SLG", "WBK", "WNM", "WOK"), "Berkshire"),
        **dict.fromkeys(("HPL", "MDB", "RCC", "STT"), "Cleveland"),
        **dict.fromkeys(("ERY", "KHL"), "North Humberside"),
        **dict.fromkeys(("NEL", "NLN"), "South Humberside"),
        **dict.fromkeys(("LCE", "RUT"), "Leicestershire"),
        **dict.fromkeys(("PLY", "TOB"), "Devon"),
        **dict.fromkeys(("POR", "STH"), "Hampshire"),
        **dict.fromkeys(("SOS", "THR"), "Essex"),
        **dict.fromkeys(("NNH", "WNH"), "Northamptonshire"),
        "BCP": "Dorset", "BNH": "East Sussex", "DAL": "County Durham", "DER": "Derbyshire", "MDW": "Kent",
        "MIK": "Buckinghamshire", "NGM": "Nottinghamshire", "PTE": "Cambridgeshire", "STE": "Staffordshire",
        "SWD": "Wiltshire", "TFW": "Shropshire", "YOR": "North Yorkshire",
        # Wales: the preserved counties.
        **dict.fromkeys(("AGY",), "Gwynedd"),
        **dict.fromkeys(("BGE", "CAY", "MTY", "RCT"), "Mid Glamorgan"),
        **dict.fromkeys(("BGW", "MON", "NWP", "TOF"), "Gwent"),
        **dict.fromkeys(("CRF", "VGL"), "South Glamorgan"),
        **dict.fromkeys(("CMN", "CGN", "PEM"), "Dyfed"),
        **dict.fromkeys(("DEN", "FLN", "WRX"), "Clwyd"),
        **dict.fromkeys(("NTL", "SWA"), "West Glamorgan"),
        # Scotland: the historic counties.
        **dict.fromkeys(("EAY", "NAY", "SAY"), "Ayrshire"),
        **dict.fromkeys(("EDU", "WDU"), "Dunbartonshire"),
        **dict.fromkeys(("ERW", "IVC"), "Renfrewshire"),
        **dict.fromkeys(("FAL", "STG"), "Stirlingshire"),
        **dict.fromkeys(("GLG", "NLK", "SLK"), "Lanarkshire"),
        "ABE": "Aberdeenshire", "AGB": "Argyll", "DND": "Angus", "EDH": "Midlothian", "MRY": "Morayshire",
        "PKN": "Perthshire", "ORK": "Orkney", "ZET": "Shetland Islands",
        # Northern Ireland.
        **dict.fromkeys(("ANN", "BFS", "MEA"), "County Antrim"),
        "AND": "County Down", "NMD": "County Down",
    },
    # Odoo's Saudi list names places (cities, ports), several of them the regions' own names: a region maps to the
    # entry bearing its name. The Eastern Province, Northern Borders and Asir have none and stay unmapped.
    "SA": {"01": "Riyadh", "02": "Makkah", "03": "Madinah", "05": "Gassim", "06": "Hail", "07": "Tabuk",
           "09": "Jizan", "10": "Najran", "11": "Al Bahah", "12": "Al Jawf"},
}

# Spellings found in addresses (abbreviations, exonyms, older names, Arabic) -> the Odoo state name.
ALIASES: dict[str, dict[str, str]] = {
    "US": {"Washington DC": "District of Columbia", "Washington D.C.": "District of Columbia"},
    "CA": {
        "Alta": "Alberta", "Sask": "Saskatchewan", "Man": "Manitoba", "Ont": "Ontario", "Que": "Quebec",
        "Qué": "Quebec", "PQ": "Quebec", "Nfld": "Newfoundland and Labrador", "NF": "Newfoundland and Labrador",
        "Terre-Neuve": "Newfoundland and Labrador", "PEI": "Prince Edward Island", "IPE": "Prince Edward Island",
        "NWT": "Northwest Territories", "TNO": "Northwest Territories", "Nvt": "Nunavut", "Yuk": "Yukon",
        "CB": "British Columbia",
    },
    "MX": {
        "CDMX": "Ciudad de México", "DF": "Ciudad de México", "Distrito Federal": "Ciudad de México",
        "Mexico City": "Ciudad de México", "Edomex": "México", "Ags": "Aguascalientes", "BC": "Baja California",
        "Camp": "Campeche", "Chis": "Chiapas", "Chih": "Chihuahua", "Coah": "Coahuila", "Dgo": "Durango",
        "Gto": "Guanajuato", "Hgo": "Hidalgo", "Mich": "Michoacán",
        "NL": "Nuevo León", "Qro": "Querétaro", "Q Roo": "Quintana Roo", "Tamps": "Tamaulipas", "Tlax": "Tlaxcala",
    },
    "BR": {"Brasília": "Distrito Federal"},
    "GB": {
        "Greater London": "London",
        # Seven of Greater Manchester's ten boroughs lay in the postal county of Lancashire.
        "Greater Manchester": "Lancashire",
        "Beds": "Bedfordshire", "Berks": "Berkshire", "Bucks": "Buckinghamshire", "Cambs": "Cambridgeshire",
        "Derbys": "Derbyshire", "Glos": "Gloucestershire", "Hants": "Hampshire", "Herts": "Hertfordshire",
        "Lancs": "Lancashire", "Leics": "Leicestershire", "Lincs": "Lincolnshire", "Middx": "Middlesex",
        "Northants": "Northamptonshire", "Notts": "Nottinghamshire", "Oxon": "Oxfordshire", "Salop": "Shropshire",
        "Staffs": "Staffordshire", "Warks": "Warwickshire", "Wilts": "Wiltshire", "Worcs": "Worcestershire",
        "N Yorks": "North Yorkshire", "North Yorks": "North Yorkshire", "S Yorks": "South Yorkshire",
        "South Yorks": "South Yorkshire", "W Yorks": "West Yorkshire", "West Yorks": "West Yorkshire",
        "Anglesey": "Gwynedd", "Derry": "County Londonderry", "Glasgow": "Lanarkshire",
        "Edinburgh": "Midlothian", "Aberdeen": "Aberdeenshire", "Dundee": "Angus", "Belfast": "County Antrim",
    },
    "IE": {"Derry": "Londonderry"},
    "DE": {
        "NRW": "Nordrhein-Westfalen", "Lower Saxony": "Niedersachsen", "North Rhine-Westphalia": "Nordrhein-Westfalen",
        "Rhineland-Palatinate": "Rheinland-Pfalz", "Saxony": "Sachsen", "Saxony-Anhalt": "Sachsen-Anhalt",
        "Thuringia": "Thüringen", "Hesse": "Hessen", "Mecklenburg-Western Pomerania": "Mecklenburg-Vorpommern",
        "Mecklenburg-West Pomerania": "Mecklenburg-Vorpommern", "Freie Hansestadt Bremen": "Bremen",
        "Freie und Hansestadt Hamburg": "Hamburg",
    },
    "IT": {
        "Milan": "Milano", "Turin": "Torino", "Florence": "Firenze", "Naples": "Napoli", "Venice": "Venezia",
        "Genoa": "Genova", "Padua": "Padova", "Mantua": "Mantova", "Syracuse": "Siracusa", "Bozen": "Bolzano",
        "Alto Adige": "Bolzano", "Südtirol": "Bolzano", "South Tyrol": "Bolzano",
        "Monza e della Brianza": "Monza e Brianza", "Valle d'Aosta": "Aosta",
        "Vallée d'Aoste": "Aosta", "Aosta Valley": "Aosta", "Monza Brianza": "Monza e Brianza",
        "Pesaro-Urbino": "Pesaro e Urbino", "Reggio di Calabria": "Reggio Calabria",
        "Reggio nell'Emilia": "Reggio Emilia", "Verbania": "Verbano-Cusio-Ossola",
    },
    "ES": {
        "Baleares": "Illes Balears (Islas Baleares)", "Balears": "Illes Balears (Islas Baleares)",
        "Coruña": "A Coruña (La Coruña)", "Castellón de la Plana": "Castelló (Castellón)",
        "Tenerife": "Santa Cruz de Tenerife", "Gran Canaria": "Las Palmas", "Seville": "Sevilla",
        "Navarre": "Navarra (Nafarroa)", "Biscay": "Bizkaia (Vizcaya)",
    },
    "NL": {
        "North Holland": "Noord-Holland", "South Holland": "Zuid-Holland", "North Brabant": "Noord-Brabant",
        "Brabant": "Noord-Brabant", "Zealand": "Zeeland", "Guelders": "Gelderland",
    },
    "BE": {"Limbourg": "Limburg"},
    "SE": {"Scania": "Skåne län"},
    "PL": {
        "Lower Silesia": "dolnośląskie", "Lower Silesian": "dolnośląskie",
        "Kuyavian-Pomeranian": "kujawsko-pomorskie", "Lublin": "lubelskie", "Lubusz": "lubuskie",
        "Łódź": "łódzkie", "Lesser Poland": "małopolskie", "Masovia": "mazowieckie", "Masovian": "mazowieckie",
        "Mazovia": "mazowieckie", "Opole": "opolskie", "Subcarpathian": "podkarpackie",
        "Subcarpathia": "podkarpackie", "Pomerania": "pomorskie", "Pomeranian": "pomorskie", "Silesia": "śląskie",
        "Silesian": "śląskie", "Holy Cross": "świętokrzyskie", "Warmian-Masurian": "warmińsko-mazurskie",
        "Warmia-Masuria": "warmińsko-mazurskie", "Greater Poland": "wielkopolskie",
        "West Pomeranian": "zachodniopomorskie", "West Pomerania": "zachodniopomorskie",
    },
    "TR": {"Afyon": "Afyonkarahisar", "İçel": "Mersin", "Maraş": "Kahramanmaraş", "K. Maraş": "Kahramanmaraş",
           "Urfa": "Şanlıurfa", "Antep": "Gaziantep"},  # noqa: RUF001 (Turkish dotless i)
    "AE": {
        "أبوظبي": "Abu Dhabi", "أبو ظبي": "Abu Dhabi", "دبي": "Dubai", "الشارقة": "Sharjah", "عجمان": "Ajman",
        "أم القيوين": "Umm al-Quwain", "رأس الخيمة": "Ras al-Khaimah", "الفجيرة": "Fujairah",
        "RAK": "Ras al-Khaimah", "Umm Al Qaiwain": "Umm al-Quwain",
    },
    "SA": {
        "الرياض": "Riyadh", "مكة المكرمة": "Makkah", "مكة": "Makkah", "Mecca": "Makkah",
        "المدينة المنورة": "Madinah", "المدينة": "Madinah", "Medina": "Madinah", "جدة": "Jeddah",
        "الدمام": "Ad Dammam", "الخبر": "Al Khobar", "الظهران": "Dhahran", "الطائف": "Taif", "تبوك": "Tabuk",
        "حائل": "Hail", "القصيم": "Gassim", "Qassim": "Gassim", "جازان": "Jizan", "جيزان": "Jizan",
        "Jazan": "Jizan", "نجران": "Najran", "الباحة": "Al Bahah", "الجوف": "Al Jawf", "بريدة": "Buraydah",
        "الأحساء": "Al Hasa", "Al Ahsa": "Al Hasa", "الهفوف": "Hofuf", "أبها": "Abha",
        "خميس مشيط": "Khamis Mushayt", "الجبيل": "Jubail", "القطيف": "Qatif", "عرعر": "Arar",
    },
    "EG": {
        "القاهرة": "Cairo", "الجيزة": "Giza", "الإسكندرية": "Alexandria", "الدقهلية": "Dakahlia",
        "البحر الأحمر": "Red Sea", "البحيرة": "Beheira", "الفيوم": "Faiyum", "الغربية": "Gharbia",
        "الإسماعيلية": "Ismailia", "المنوفية": "Monufia", "المنيا": "Minya", "القليوبية": "Qalyubia",
        "الأقصر": "Luxor", "الوادي الجديد": "New Valley", "الشرقية": "Al Sharqia", "السويس": "Suez",
        "أسوان": "Aswan", "أسيوط": "Asyut", "بني سويف": "Beni Suef", "بورسعيد": "Port Said",
        "بور سعيد": "Port Said", "دمياط": "Damietta", "جنوب سيناء": "South Sinai", "كفر الشيخ": "Kafr el-Sheikh",
        "مطروح": "Matrouh", "قنا": "Qena", "شمال سيناء": "North Sinai", "سوهاج": "Sohag",
        "Sharkia": "Al Sharqia", "Sharqiya": "Al Sharqia", "Kalyoubia": "Qalyubia", "Qalyoubia": "Qalyubia",
        "Menoufia": "Monufia", "Menofia": "Monufia", "Behira": "Beheira", "Fayoum": "Faiyum", "Fayum": "Faiyum",
        "Assiut": "Asyut", "Gharbiya": "Gharbia", "Daqahliya": "Dakahlia", "Matruh": "Matrouh",
        "Ismailiya": "Ismailia", "Beni Sweif": "Beni Suef", "Qina": "Qena", "Suhag": "Sohag", "Alex": "Alexandria",
    },
    "IN": {
        "Orissa": "Odisha", "OD": "Odisha", "Pondicherry": "Puducherry", "Uttaranchal": "Uttarakhand",
        "UT": "Uttarakhand", "UA": "Uttarakhand", "Chhattisgarh": "Chattisgarh", "CT": "Chattisgarh",
        "TG": "Telangana", "New Delhi": "Delhi", "NCT of Delhi": "Delhi",
        "National Capital Territory of Delhi": "Delhi", "J&K": "Jammu and Kashmir",
    },
    "ZA": {"Wes-Kaap": "Western Cape", "Oos-Kaap": "Eastern Cape", "Noord-Kaap": "Northern Cape",
           "Vrystaat": "Free State", "Noordwes": "North West", "Natal": "KwaZulu-Natal",
           "Northern Province": "Limpopo"},
}
