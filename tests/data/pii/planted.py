"""The planted benchmark: sentences with personal data of 16 kinds, and look-alikes that must stay.

Generated, not stored: templates x name and number generators written here by hand, drawn
with a fixed seed, so the same call gives the same sentences on any machine. Nothing here
comes from the recognisers' word lists (``workbench/privacy/lexicon.py`` builds those from
packages): the names below were written for this file from people's names in ten languages,
the numbers are made from each country's format (IBANs and cards with their real check
digits).

Each row is ``{"id", "text", "pii": [{"type", "start", "end", "value"}], "negative"}`` like
``sentences.jsonl`` of this folder; ``type`` is the planted kind (16 of them, see
:data:`KIND_TO_REDACTION`), ``negative`` names what a look-alike looks like.

Example:
    >>> rows = planted_rows(seed=1)
    >>> len({p["type"] for r in rows for p in r["pii"]}) >= 12, sum(1 for r in rows if r["negative"]) >= 100
    (True, True)
"""
from __future__ import annotations

import random
import re
from typing import Any

SEED = 20261206

#: planted kind -> the redaction kind that must cover it
KIND_TO_REDACTION: dict[str, str] = {
    "first_name": "name", "full_name": "name", "cued_name": "name", "participant": "name", "staff": "name",
    "email": "email", "phone_international": "phone", "phone_national": "phone", "phone_bare_10": "phone",
    "card": "card", "card_tail": "card", "iban": "iban", "booking_ref": "booking_ref", "account": "account",
    "address": "address", "postcode": "postcode",
}

# first names and surnames by language, written for this benchmark
FIRST_NAMES: dict[str, list[str]] = {
    "shona": ["Tendai", "Tatenda", "Rutendo", "Farai", "Nyasha", "Tinashe", "Chipo", "Kudzai"],
    "dutch": ["Anouk", "Sanne", "Bram", "Femke", "Joost", "Lotte", "Daan", "Maartje"],
    "polish": ["Wojciech", "Agnieszka", "Krzysztof", "Małgorzata", "Grzegorz", "Katarzyna", "Łukasz", "Bartosz"],
    "yoruba": ["Oluwaseun", "Adebayo", "Temitope", "Folake", "Yetunde", "Olumide", "Funmilayo", "Adewale"],
    "vietnamese": ["Huong", "Minh", "Thanh", "Trang", "Linh", "Tuan", "Phuong", "Quang"],
    "arabic": ["Youssef", "Layla", "Khalid", "Mariam", "Hamza", "Nour", "Tariq", "Salma"],
    "spanish": ["Alejandro", "Lucía", "Javier", "Guadalupe", "Beatriz", "Rodrigo", "Inés", "Mateo"],
    "hindi": ["Priya", "Arjun", "Rahul", "Anjali", "Sunita", "Deepak", "Kavya", "Vikram"],
    "japanese": ["Haruto", "Yuki", "Hiroshi", "Sakura", "Kenji", "Aiko", "Takeshi", "Yumiko"],
    "turkish": ["Mehmet", "Ayşe", "Emre", "Zeynep", "Burak", "Elif", "Murat", "Selin"],
}
SURNAMES: dict[str, list[str]] = {
    "shona": ["Moyo", "Ncube", "Mutasa", "Dube", "Sibanda"],
    "dutch": ["de Vries", "Jansen", "Bakker", "Visser", "van Dijk"],
    "polish": ["Kowalski", "Nowak", "Wiśniewski", "Zieliński", "Lewandowska"],
    "yoruba": ["Adeyemi", "Balogun", "Ogunleye", "Adeleke", "Oyelaran"],
    "vietnamese": ["Nguyen", "Tran", "Pham", "Hoang", "Vu"],
    "arabic": ["Haddad", "Mansour", "Khalil", "Al-Sayed", "Hamdan"],
    "spanish": ["García", "Fernández", "Martínez", "Ruiz", "Navarro"],
    "hindi": ["Sharma", "Patel", "Gupta", "Iyer", "Reddy"],
    "japanese": ["Tanaka", "Suzuki", "Watanabe", "Yamamoto", "Sato"],
    "turkish": ["Yılmaz", "Demir", "Kaya", "Çelik", "Şahin"],
}
#: the study's participants (participants.csv) and staff (speaker labels) of the benchmark
PARTICIPANTS: dict[str, str] = {"Sipho Dlamini": "P01", "Ingrid Solberg": "P02", "Rafael Quintero": "P03",
                                "Mei-Ling Chow": "P04", "Dorota Kaczmarek": "P05"}
STAFF = ["Kwabena Asante", "Bronwen Pugh", "Ottilie"]
KEEP_WORDS = ["Skylark", "Skylark Miles", "Skylark Care"]

_FIRST_NAME_TEMPLATES = [
    "I flew with {0}, my partner, and it was chaos.", "{0}, my partner, booked the hotel for us.",
    "{0} from work recommended the app to me.", "{0} at the desk was lovely to us.",
    "My sister {0} had the same problem with the refund.", "We travelled with {0} and her two kids.",
    "The agent, {0}, said the refund was approved.", "Then {0} told me to call back on Monday.",
    "{0} said the flight was full anyway.", "I asked {0} whether the lounge was open.",
    "Honestly {0} was the only one who helped.", "It was {0} who finally answered the chat.",
    "My colleague {0} booked the same flight and paid less.", "Luckily {0} noticed the mistake on the ticket.",
    "…and {0}, my partner, was furious about the seats.", "{0} on the phone promised a call back.",
]
_FULL_NAME_TEMPLATES = [
    "My colleague {0} booked it for the whole team.", "{0} rang me twice about the voucher.",
    "In the end {0} sorted it out for us.", "The manager, {0}, apologised in person.",
    "We met {0} at the gate and she helped.", "{0} from the airline emailed me on Friday.",
]
_CUED_TEMPLATES = ["My name is {0} and I fly every month.", "Dear {0}, your booking has changed.",
                   "I spoke to {0} at the counter.", "Kind regards,\n{0}", "Mrs {0} was very kind.",
                   "Hi {0}, thanks for getting back to me."]
_KNOWN_TEMPLATES = ["{0} said the app kept crashing.", "Thanks, {0}, that is all.", "We asked {0} about the lounge.",
                    "As {0} put it, nobody cared."]

_PHONES: dict[str, tuple[list[str], list[str]]] = {  # country -> (international formats, national formats)
    "GB": (["+44 7700 9{3} {3}", "+44 20 7946 {4}", "+44 (0)161 496 {4}"], ["07700 9{3}{3}", "020 7946 {4}", "0161 496 {4}"]),
    "US": (["+1 415 555 {4}", "+1-212-555-{4}"], ["(415) 555-{4}", "212-555-{4}", "646.555.{4}"]),
    "DE": (["+49 30 {7}", "+49 151 {4}{4}"], ["030 {7}", "0151 {4}{4}"]),
    "FR": (["+33 6 {2} {2} {2} {2}", "+33 1 {2} {2} {2} {2}"], ["06 {2} {2} {2} {2}", "01.{2}.{2}.{2}.{2}"]),
    "IN": (["+91 98{3} {5}", "+91 99{3}{5}"], ["98{3} {5}", "098{3} {5}"]),
    "NG": (["+234 803 {3} {4}", "+234 806 {3} {4}"], ["0803 {3} {4}", "0806{3}{4}"]),
    "BR": (["+55 11 9{4}-{4}", "+55 21 9{4} {4}"], ["(11) 9{4}-{4}", "(21) 9{4}-{4}"]),
    "AU": (["+61 412 {3} {3}", "+61 2 9{3} {4}"], ["0412 {3} {3}", "(02) 9{3} {4}"]),
    "ZA": (["+27 82 {3} {4}"], ["082 {3} {4}"]),
    "KE": (["+254 712 {6}"], ["0712 {6}"]),
    "JP": (["+81 90-{4}-{4}"], ["090-{4}-{4}"]),
    "NL": (["+31 6 {8}"], ["06-{8}"]),
    "ZW": (["+263 77 {3} {4}"], ["0771 {3} {3}"]),
}
_PHONE_TEMPLATES = ["Call me on {0} if anything changes.", "My mobile is {0}.", "You can WhatsApp me at {0}.",
                    "They rang me from {0} at midnight.", "I gave them {0} twice and nobody called.",
                    "Text {0} when you land."]
_IBAN_LENGTHS = {"GB": 22, "DE": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27, "BE": 16, "PL": 28, "PT": 25,
                 "IE": 22, "CH": 21, "AT": 20, "SE": 24, "NO": 15}
_LETTER_BANKS = {"GB": "WEST", "NL": "ABNA", "IE": "AIBK"}
_STREETS = [
    "{n} Baker Street, London NW1 6XE", "{n} Elm Road, Leeds LS6 2AB", "{n} Amphitheatre Parkway, Mountain View, CA 94043",
    "Friedrichstraße {n}, 10117 Berlin", "{n} rue de Rivoli, 75001 Paris", "Keizersgracht {n}", "Calle Mayor {n}",
    "Via Roma {n}", "{n} Maple Avenue", "Flat 3, {n} Victoria Road",
]
#: (postcode, the place after it, which stays)
_POSTCODES = [("SW1A 1AA", ""), ("M1 1AE", ""), ("EH8 9YL", ""), ("B33 8TH", ""), ("94043-1351", ""), ("10001-2345", ""),
              ("10117", " Berlin"), ("75008", " Paris"), ("1012 AB", " Amsterdam"), ("00-950", " Warszawa"),
              ("1000-001", " Lisboa"), ("K1A 0B1", ""), ("28013", " Madrid"), ("8001", " Zürich")]
_POSTCODE_TEMPLATES = ["My postcode is {0}.", "We moved to {0} last year.", "Send it to the office in {0}, please.",
                       "The zip on my card is {0}."]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _fill(rng: random.Random, pattern: str) -> str:
    return re.sub(r"\{(\d)\}", lambda m: _digits(rng, int(m.group(1))), pattern)


def _luhn_complete(body: str) -> str:
    for check in "0123456789":
        total = 0
        for i, d in enumerate(reversed([int(c) for c in body + check])):
            total += (d * 2 - 9 if d * 2 > 9 else d * 2) if i % 2 else d
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


def _iban(rng: random.Random, country: str) -> str:
    length = _IBAN_LENGTHS[country]
    bank = _LETTER_BANKS.get(country, "")
    bban = bank + _digits(rng, length - 4 - len(bank))
    number = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    iban = f"{country}{98 - number % 97:02d}{bban}"
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if rng.random() < 0.6 else iban


class _Rows:
    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.counts: dict[str, int] = {}

    def add(self, group: str, template: str, *values: tuple[str, str], negative: str | None = None) -> None:
        """Fill ``template``'s ``{0}``, ``{1}`` … with ``(kind, value)`` pairs, recording exact spans."""
        text, pii, pos = "", [], 0
        for m in re.finditer(r"\{(\d)\}", template):
            text += template[pos:m.start()]
            kind, value = values[int(m.group(1))]
            pii.append({"type": kind, "start": len(text), "end": len(text) + len(value), "value": value})
            text += value
            pos = m.end()
        text += template[pos:]
        self.counts[group] = self.counts.get(group, 0) + 1
        self.rows.append({"id": f"{group}-{self.counts[group]:03d}", "text": text, "pii": pii, "negative": negative})


def planted_rows(seed: int = SEED) -> list[dict[str, Any]]:
    """Every planted sentence and look-alike, in a fixed order for ``seed``.

    Example:
        >>> row = planted_rows()[0]
        >>> row["text"][row["pii"][0]["start"]:row["pii"][0]["end"]] == row["pii"][0]["value"]
        True
    """
    rng = random.Random(seed)
    rows = _Rows()
    languages = sorted(FIRST_NAMES)
    for language in languages:  # 8 first names x 10 languages, in every kind of sentence position
        for i, first in enumerate(FIRST_NAMES[language]):
            rows.add(f"first-{language}", _FIRST_NAME_TEMPLATES[(i + languages.index(language)) % 16], ("first_name", first))
    for language in languages:
        for i in range(3):
            full = f"{rng.choice(FIRST_NAMES[language])} {SURNAMES[language][i]}"
            rows.add(f"full-{language}", _FULL_NAME_TEMPLATES[(i + languages.index(language)) % 6], ("full_name", full))
    for i, language in enumerate(languages):
        for j in range(2):
            name = f"{FIRST_NAMES[language][-1 - j]} {SURNAMES[language][-1 - j]}"
            if _CUED_TEMPLATES[(i + j) % 6].startswith("Mrs"):
                name = SURNAMES[language][-1 - j]
            rows.add("cued", _CUED_TEMPLATES[(i + j) % 6], ("cued_name", name))
    for i, name in enumerate(list(PARTICIPANTS) * 2):
        rows.add("participant", _KNOWN_TEMPLATES[i % 4], ("participant", name if i < 5 else name.split()[0]))
    for i, name in enumerate(STAFF * 2):
        rows.add("staff", _KNOWN_TEMPLATES[(i + 1) % 4], ("staff", name if i < 3 else name.split()[0]))
    for i in range(20):
        first, last = rng.choice(FIRST_NAMES[languages[i % 10]]), rng.choice(SURNAMES[languages[i % 10]])
        local = re.sub(r"[^a-z.]", "", (first + "." + last.split()[-1]).lower().translate(
            str.maketrans("łóśźżćńąęçşğıüöéíáñ", "loszzcnaecsgiuoeian"))) or "guest"
        email = f"{local}{rng.choice(['', '77', '.travel'])}@{rng.choice(['example.com', 'mail.example.ng', 'example.co.uk', 'beispiel.de'])}"
        rows.add("email", rng.choice(["Mail me at {0} please.", "My address is {0}.", "Contact: <{0}>"]), ("email", email))
    for country, (international, national) in _PHONES.items():
        for pattern in international:
            rows.add(f"phone-{country.lower()}", rng.choice(_PHONE_TEMPLATES), ("phone_international", _fill(rng, pattern)))
        for pattern in national:
            rows.add(f"phone-{country.lower()}", rng.choice(_PHONE_TEMPLATES), ("phone_national", _fill(rng, pattern)))
    for i in range(8):
        number = rng.choice(["415", "212", "646", "312", "202", "617"]) + rng.choice("23456789") + _digits(rng, 6)
        rows.add("phone-bare", ["Call me on {0} after six.", "My number is {0}.", "They had {0} on file, which is right.",
                                "Reach me at {0}."][i % 4], ("phone_bare_10", number))
    for i in range(16):
        prefix, length = [("4", 16), ("51", 16), ("37", 15), ("6011", 16)][i % 4]
        number = _luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
        groups = (4, 6, 5) if length == 15 else (4, 4, 4, 4)
        sep = [" ", "-", ""][i % 3]
        parts, pos = [], 0
        for g in groups:
            parts.append(number[pos:pos + g])
            pos += g
        rows.add("card", ["They charged {0} twice.", "Card number: {0}", "Refund it to {0}, please."][i % 3],
                 ("card", sep.join(parts)))
    for i in range(16):
        rows.add("card-tail", ["My card ending {0} was charged twice.", "The Visa ending in {0} was declined.",
                               "The last four digits are {0}.", "It went on the Mastercard that ends with {0}.",
                               "Card **** **** **** {0} was refunded."][i % 5], ("card_tail", _digits(rng, 4)))
    for i, country in enumerate(sorted(_IBAN_LENGTHS) * 2):
        rows.add("iban", ["Please refund to {0}.", "IBAN: {0}", "My account is {0} in my name."][i % 3], ("iban", _iban(rng, country)))
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    for i in range(20):
        ref = "".join(rng.choice(alphabet + "23456789") for _ in range(6))
        if not any(c.isdigit() for c in ref):
            ref = ref[:3] + str(rng.randint(2, 9)) + ref[4:]
        if not any(c.isalpha() for c in ref):
            ref = rng.choice(alphabet) + ref[1:]
        if i % 5 == 4:
            ref = _digits(rng, 8)
        rows.add("booking-ref", ["My booking reference is {0}.", "PNR: {0}", "The confirmation code {0} did not work.",
                                 "Reservation number {0}, under my name.", "Booking ref {0} was cancelled."][i % 5],
                 ("booking_ref", ref))
    for i in range(18):
        value = [f"BA {_digits(rng, 8)}", f"SKM-{_digits(rng, 8)}", f"{_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
                 f"6340 {_digits(rng, 4)} {_digits(rng, 4)}", _digits(rng, 8), f"C-{_digits(rng, 7)}"][i % 6]
        rows.add("account", ["My frequent flyer number is {0}.", "Skylark Miles number {0}", "Membership number {0}, gold tier.",
                             "Loyalty card {0} was not recognised.", "Account number: {0}", "My customer number is {0}."][i % 6],
                 ("account", value))
    for i, street in enumerate(_STREETS * 2):
        rows.add("address", ["I live at {0}.", "Deliver to {0} please.", "Our old address was {0}, we moved."][i % 3],
                 ("address", street.format(n=rng.randint(2, 240))))
    for i, (code, place) in enumerate(_POSTCODES):  # "10117 Berlin": the code is planted, the city stays
        rows.add("postcode", _POSTCODE_TEMPLATES[i % 4].replace("{0}", "{0}" + place), ("postcode", code))
    _look_alikes(rows, rng)
    return rows.rows


def _look_alikes(rows: _Rows, rng: random.Random) -> None:
    """100+ sentences of numbers with a meaning and capitalised words that are no one: all must stay."""
    d = lambda n: _digits(rng, n)  # noqa: E731
    negatives = {
        "price": [f"It cost £{rng.randint(1, 9)},{d(3)}.{d(2)} in the app.", f"The fee was ${rng.randint(10, 99)}.99 per bag.",
                  f"I paid €{rng.randint(100, 999)},00 at the desk.", f"That's ₹{rng.randint(10, 99)},000 for two seats.",
                  f"Upgrade was A$ {rng.randint(1, 9)} {d(3)}.", f"About {rng.randint(10, 60)}% of the fare was fees.",
                  f"They quoted {rng.randint(1, 9)},{d(3)},{d(3)} USD for the group.", f"Refund of {rng.randint(100, 999)}.50 EUR came."],
        "flight_number": ["Flight BA 2490 left late.", "We were moved from LH400 to LH402.", "EK 29 was cancelled.",
                          "My connection AF1681 was missed.", "U2 8123 to Geneva was overbooked.", "KL 1012 boarded at gate D7.",
                          f"Flight QF {rng.randint(1, 99)} is the Sydney one.", f"DL{rng.randint(100, 999)} sat on the tarmac."],
        "date": [f"The flight on 2026-09-{rng.randint(10, 28)} was delayed.", "We return on 3 March 2027.",
                 f"Booked {rng.randint(10, 28)}.12.2025 for 01.02.2026.", "Dates 14/09/2026 and 09-14-2026.",
                 "Between 2024-01-01 and 2024-12-31 I flew 40 times.", "It was the 5th of May, a Friday."],
        "duration": [f"I was on hold for {rng.randint(20, 95)} minutes.", "The layover was 2 hours 30 minutes.",
                     "It took three weeks to get an answer.", f"The refund took {rng.randint(5, 12)} weeks.",
                     "Boarding took 90 min.", f"Waited {rng.randint(2, 9)} hours at the gate."],
        "count": ["We had 3 bags and a pram.", "I have 12,500 Skylark Miles.", "There were 4 adults and 2 children.",
                  f"I called {rng.randint(5, 20)} times in 3 weeks.", "I earned 1,500 points on that trip.",
                  "Only 2 of the 6 kiosks worked.", f"We flew {rng.randint(1000, 9999):,} km for nothing.",
                  f"Queue number {rng.randint(100, 300)}, then back to the start."],
        "time": ["Boarding at 14:30, departure 15:05.", "The desk opens 06:00 – 22:00.", "We waited from 9.15 to 11.45.",
                 "The 07:45 train to Gatwick was on time."],
        "place": ["We flew to Jordan in May.", "We stayed in Paris for three nights.", "We changed planes in Lagos.",
                  "From Harare to Lusaka it was smooth.", "Florence was beautiful but hot.", "I love Victoria in spring.",
                  "The Rio flight was full.", "Jordan was our stopover.", "My trip to Georgia got cancelled.",
                  "Lisbon airport was chaos.", "We drove from Adelaide to Melbourne.", "India was amazing."],
        "brand": ["I bought it on Amazon in the end.", "I paid with my Visa, not the Amex.", "We took an Uber to the airport.",
                  "Alexa read the flight status to me.", "The Mercedes shuttle never came.", "I booked through Expedia instead.",
                  "Skylark Miles never showed up.", "Tesla chargers at the hotel were broken."],
        "word_like_name": ["Will I get a refund at all?", "May we have a window seat?", "The rose garden at the hotel was lovely.",
                           "The Bill at checkout was wrong.", "Grace period ended, they said.", "Mark my words, I won't fly again.",
                           "Hope it works this time.", "Gold status means nothing.", "Sunny skies but a delayed flight.",
                           "Jack up the prices and call it service?", "Faith in the airline is gone.", "Summer fares were a joke."],
        "month_weekday": ["On Monday nobody answered.", "Since April the app is broken.", "In June the prices doubled.",
                          "By August we gave up.", "Every Friday the flight is late."],
        "id_not_personal": [f"Order {d(4)} {d(4)} is on the receipt.", f"Case {d(8)} is still open.",
                            f"Ticket 125-{d(10)} was reissued.", f"Invoice INV-2026-{d(6)} was wrong.",
                            f"order no. {rng.choice('23456789')}{d(9)}", f"Seat {rng.randint(10, 40)}C on the A350 was broken."],
        "context_word_no_number": ["I'm a member since 2019.", "That account for 3 of my trips.", "My loyalty points went to 0.",
                                   "The promotion ending in 2026 is useless.", "For the last four years I flew with them.",
                                   "With reference to the T&Cs, I want a refund.", "A booking for 2 adults vanished.",
                                   "The card was declined twice.", "My postcode area has no pickup."],
        "everyday": ["Terminal 5, gate 22, seat 14C.", "Room 1204 had no hot water.", "App version 10.2.1 fixed the login.",
                     "Temperatures hit 38 °C in the terminal.", "Baggage allowance is 23 kg.", "I gave it 1 star out of 5.",
                     "The voucher code SUMMER25 didn't work.", "Platform 9 was closed.", "Kilometres flown in 2025: 48 210."],
    }
    for kind, sentences in negatives.items():
        for sentence in sentences:
            rows.add(f"neg-{kind.replace('_', '-')}", sentence, negative=kind)
