"""A held-out set for the redactor: interview transcripts and feedback as people speak and type them.

Written after ``planted.py`` by someone else than its author and before any change to
``workbench/privacy`` was made against it, so that it measures how the recognisers generalise:
other names (African, Slavic, Dutch, Nordic, South and East Asian, Arabic, Latin American and
Irish names, hyphenated ones, ones with apostrophes, names that are English words), other
sentence shapes (fillers, lower-case sentence starts, names after commas and at line starts,
speaker turns), surnames alone, staff with roles, phones of nine countries in spoken layouts,
card tails, booking references, loyalty/membership/policy numbers, IBANs, addresses, postcodes
and dates of birth. No value here was copied from the recognisers' lists or from ``planted.py``.

Rows are ``{"id", "text", "pii": [{"type", "start", "end", "value"}], "negative"}`` as in
``planted.py``; :data:`KIND_TO_REDACTION` maps each planted kind to the redaction kind that must
cover it. The look-alikes (``negative`` set) must come out unchanged.

Example:
    >>> rows = heldout_rows()
    >>> sum(len(r["pii"]) for r in rows) >= 200, sum(1 for r in rows if r["negative"]) >= 80
    (True, True)
"""
from __future__ import annotations

import random
import re
from typing import Any

SEED = 19

#: planted kind -> the redaction kind that must cover it
KIND_TO_REDACTION: dict[str, str] = {
    "first_name": "name", "word_name": "name", "surname": "name", "full_name": "name", "staff_role": "name",
    "participant": "name", "staff": "name", "email": "email", "phone": "phone", "phone_bare_10": "phone",
    "card_tail": "card", "booking_ref": "booking_ref", "account": "account", "iban": "iban",
    "address": "address", "postcode": "postcode", "date_of_birth": "date_of_birth",
}

#: first names of many origins, none of them in planted.py
FIRST_NAMES: list[str] = [
    "Chiamaka", "Ngozi", "Obinna", "Thandiwe", "Sibusiso", "Kwame", "Abena", "Wanjiru", "Tsegaye", "Zanele",
    "Bożena", "Tomasz", "Radosław", "Dragan", "Milica", "Oksana", "Dmitri", "Svetlana", "Jiří", "Vesna",
    "Maarten", "Sjoerd", "Ilse", "Wouter", "Fleur", "Thijs", "Marieke", "Jelle",
    "Sigrid", "Bjørn", "Astrid", "Håkon", "Solveig", "Eero", "Aino", "Leif",
    "Siddharth", "Lakshmi", "Meenakshi", "Harpreet", "Gurpreet", "Farhan", "Nusrat", "Tharindu",
    "Xiaoming", "Jiho", "Seo-yeon", "Hyun-woo", "Takumi", "Thao",
    "Fatima", "Omar", "Yasmin", "Abdullah", "Rania", "Karim", "Hussein", "Leila",
    "Ximena", "Joaquín", "Valentina", "Thiago", "Camila", "Sebastián", "Renata",
    "Siobhán", "Aoife", "Niamh", "Saoirse", "Caoimhe", "Oisín", "Ciarán", "Róisín", "Pádraig",
    "Jean-Luc", "Anne-Marie",
]
#: first names that are also English words: they need a person's context
WORD_NAMES: list[str] = ["Rose", "Bill", "Hope", "Grace", "Will", "May", "Sunny", "Joy", "Dawn", "Faith", "Iris", "Mark"]
SURNAMES: list[str] = [
    "Okafor", "Mensah", "Kowalczyk", "Novák", "Petrović", "Jovanović", "van der Berg", "Lindqvist", "Haugen",
    "Virtanen", "Chatterjee", "Banerjee", "Krishnan", "Nakamura", "Zhang", "Al-Farsi", "Mendoza", "Castillo",
    "O'Neill", "D'Souza", "O'Brien", "Fitzgerald", "Kavanagh", "Nwosu", "Eze", "Abubakar",
]
#: the study's participants (participants.csv) and staff (speaker labels)
PARTICIPANTS: dict[str, str] = {"Adaeze Okonkwo": "P11", "Halvard Brekke": "P12", "Paulina Wróbel": "P13",
                                "Deepika Raghunathan": "P14", "Nicolás Echeverría": "P15"}
STAFF = ["Ruairí Mac Giolla", "Femi Oduya", "Magnhild"]
KEEP_WORDS = ["Northwind", "Northwind Rewards", "Northwind Plus"]

_FIRST_TEMPLATES = [
    "um so I went with {0}, my partner, and it was a nightmare honestly",
    "{0} from work told me about the app",
    "and then {0} at the desk just said no",
    "yeah, {0} was the one who sorted it in the end",
    "I was travelling with {0} and the kids",
    "so {0}, my sister-in-law, she booked it",
    "we rang them and {0} picked up, she was lovely",
    "my husband {0} does all the bookings",
    "{0} said they'd call back but they never did",
    "Honestly? {0} on the chat was better than the phone people.",
    "like, I asked {0} at check-in and she didn't know either",
    "it was me, {0} and my mum",
    "{0} reckons we should have gone with another airline",
    "the lady, {0}, gave us vouchers for food",
    "so I texted {0} to say we'd be late",
    "oh and {0} from next door fed the cat, which was good",
    "we were with {0}'s family that week",
    "then {0} came over and helped with the bags",
    "a guy called {0} phoned me the next morning",
    "me and {0} just sat on the floor for two hours",
]
_WORD_NAME_TEMPLATES = [
    "{0}, my partner, was livid about it", "I went with {0} and her brother", "{0} from accounts booked it for us",
    "my daughter {0} had to sleep on the bench", "{0} said we should complain", "so I asked {0} what to do",
]
_SURNAME_TEMPLATES = [
    "I spoke to {0} in the end and he was fine", "{0} said he'd escalate it", "Mr {0} from the complaints team rang",
    "the manager, {0}, apologised", "we got an email from {0} on the Tuesday", "Ms {0} signed the letter",
    "I was passed to {0}, who was useless", "Dr {0} wrote me a note for the insurance",
]
_FULL_TEMPLATES = [
    "{0} rang me back on the Monday", "my colleague {0} had the same thing", "so {0}, she's my manager, she booked it",
    "the letter was signed {0}, customer relations", "I think it was {0} who answered",
    "Interviewer: and who was that?\nP: {0}, from the airline",
]
_ROLE_TEMPLATES = [
    ("the supervisor, {0}, was really helpful", "first"), ("agent {0} put me on hold for forty minutes", "first"),
    ("my case handler {0} never replied", "first"), ("the pilot, Captain {0}, came out to talk to us", "surname"),
    ("a steward called {0} found us seats", "first"), ("the team leader {0} said it was policy", "full"),
]
_KNOWN_TEMPLATES = ["{0} said the app kept logging her out", "thanks {0}, that's really useful",
                    "so, {0}, tell me about the last trip", "{0} mentioned the lounge earlier"]

#: (format, country) of phones, with {n} = n random digits
_PHONES = [
    ("07{3} {6}", "GB"), ("+44 7{3} {3} {3}", "GB"), ("0044 20 {4} {4}", "GB"), ("(0131) {3} {4}", "GB"), ("0161-{3}-{4}", "GB"),
    ("+1 (415) 55{1}-{4}", "US"), ("202.55{1}.{4}", "US"), ("+1 646 {3} {4}", "US"), ("(312) 55{1} {4}", "US"),
    ("+91 9{4} {5}", "IN"), ("+91-80-{4}-{4}", "IN"), ("09{4}{5}", "IN"),
    ("+49 (0) 89 {4} {3}", "DE"), ("0170 {7}", "DE"), ("+49 176 {8}", "DE"),
    ("+33 (0)6 {2} {2} {2} {2}", "FR"), ("07.{2}.{2}.{2}.{2}", "FR"), ("01 {2} {2} {2} {2}", "FR"),
    ("+31 (0)20 {3} {4}", "NL"), ("06 {4} {4}", "NL"), ("020-{7}", "NL"),
    ("+61 4{2} {3} {3}", "AU"), ("04{2} {3} {3}", "AU"), ("(03) 9{3} {4}", "AU"),
    ("+234 (0)80{1} {3} {4}", "NG"), ("0703-{3}-{4}", "NG"), ("0812 {3} {4}", "NG"),
    ("+55 (11) 9{4}-{4}", "BR"), ("(21) 9{4}-{4}", "BR"), ("+55 31 9{4}{4}", "BR"),
]
_PHONE_TEMPLATES = [
    "yeah my number's {0} if you need it", "they've got {0} on file, that's my mobile", "ring me on {0} after five",
    "so I called {0} like ten times", "it's {0}, the work one", "you can reach me at {0}, or WhatsApp",
]
_EMAIL_TEMPLATES = ["my email is {0}", "just send it to {0} yeah", "it went to {0} but I never got it",
                    "email: {0}", "cc {0} please"]
_CARD_TAIL_TEMPLATES = [
    "the card ending 4{3} got charged twice", "it was my Visa, last four {0}", "the one that ends in {0}",
    "card ending in {0}, the debit one", "last 4 digits {0}", "my Amex ending {0} was declined",
    "they refunded it to the card ending with {0}", "the last four digits of the card are {0}",
]
_BOOKING_TEMPLATES = [
    "ref {0}", "my booking ref is {0}", "confirmation number {0}", "the PNR was {0}", "booking reference: {0}",
    "they gave me a reference, {0}, and said wait", "reservation code {0}", "booking number {0} I think",
    "the confirmation code was {0}",
]
_ACCOUNT_TEMPLATES = [
    ("my frequent flyer number is {0}", "{8}"), ("loyalty number {0}", "{10}"), ("membership number: {0}", "M{7}"),
    ("customer number {0}", "{9}"), ("policy number {0}", "POL-{8}"), ("account number {0}", "{8}"),
    ("my Northwind Rewards number is {0}", "NW {4} {4}"), ("member ID {0}", "{3}-{3}-{3}"),
    ("the account no. is {0}", "{4} {4}"), ("Avios number {0}", "{8}"), ("my Nectar card is {0}", "{4} {4} {4} {4} {3}"),
    ("customer ID {0}", "C{7}"),
]
_IBAN_LENGTHS = {"GB": 22, "DE": 22, "FR": 27, "NL": 18, "ES": 24, "IT": 27, "BE": 16, "IE": 22, "DK": 18, "FI": 18,
                 "LU": 20, "CZ": 24}
_LETTER_BANKS = {"GB": "BARC", "NL": "RABO", "IE": "BOFI"}
_IBAN_TEMPLATES = ["my IBAN is {0}", "refund it to {0} please", "account {0}, that's my Dutch one", "{0}"]
_ADDRESSES = [
    "14 Hazel Grove", "221B Baker Street", "Flat 3, 12 Rue de la Paix", "7 Cromwell Road", "Apartment 4B, 350 Fifth Avenue",
    "Hauptstraße 5", "Prinsengracht 263", "Carrer de Mallorca 401", "Unit 7, 45 Station Road", "9 Orchard Close",
    "1600 Pennsylvania Avenue", "33 Kings Lane", "2 The Crescent", "88 Elmwood Drive", "Herengracht 12-III",
    "Rua Augusta 120", "Ul. Mickiewicza 14", "18 Willow Way",
]
_ADDRESS_TEMPLATES = ["I live at {0}", "we're at {0} now", "it got delivered to {0} instead", "my address is {0}, second floor"]
_POSTCODES = [("SW19 2AB", "", "GB"), ("LS1 4DY", "", "GB"), ("BT9 6AD", "", "GB"), ("G12 8QQ", "", "GB"),
              ("CF10 3AT", "", "GB"), ("90210", "", "US"), ("60614-2317", "", "US"), ("02139", "", "US"),
              ("1017 CT", " Amsterdam", "NL"), ("3512 JE", " Utrecht", "NL"), ("80331", " München", "DE"),
              ("50667", " Köln", "DE"), ("69002", " Lyon", "FR"), ("13008", " Marseille", "FR"),
              ("D02 X285", "", "IE"), ("2000", " Sydney", "AU")]
_POSTCODE_TEMPLATES = ["postcode's {0}", "it's {0}, near the station", "we moved to {0} in the summer",
                       "zip code {0}", "the delivery address was in {0}"]
_DOB_TEMPLATES = ["my date of birth is {0}", "DOB {0}", "I was born on the {0}", "born {0}, if that matters",
                  "they asked for my birthday, {0}"]
_DOBS = ["14/02/1987", "3 March 1979", "12.05.1990", "9th of July 1985", "07-11-1962", "1991-08-23",
         "June 4, 1974", "28/10/88"]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _fill(rng: random.Random, pattern: str) -> str:
    # a leading digit after "{" may not be 0 for the first group, to keep numbers realistic
    return re.sub(r"\{(\d+)\}", lambda m: str(rng.randint(1, 9)) + _digits(rng, int(m.group(1)) - 1), pattern)


def _iban(rng: random.Random, country: str, spaced: bool) -> str:
    length = _IBAN_LENGTHS[country]
    bank = _LETTER_BANKS.get(country, "")
    bban = bank + _digits(rng, length - 4 - len(bank))
    number = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    iban = f"{country}{98 - number % 97:02d}{bban}"
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if spaced else iban


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


def heldout_rows(seed: int = SEED) -> list[dict[str, Any]]:
    """Every held-out sentence and look-alike, in a fixed order for ``seed``.

    Example:
        >>> row = heldout_rows()[0]
        >>> row["text"][row["pii"][0]["start"]:row["pii"][0]["end"]] == row["pii"][0]["value"]
        True
    """
    rng = random.Random(seed)
    rows = _Rows()
    for i, name in enumerate(FIRST_NAMES):
        rows.add("first", _FIRST_TEMPLATES[(i * 7) % len(_FIRST_TEMPLATES)], ("first_name", name))
    for i, name in enumerate(WORD_NAMES * 2):
        rows.add("word-name", _WORD_NAME_TEMPLATES[(i + i // len(WORD_NAMES)) % len(_WORD_NAME_TEMPLATES)], ("word_name", name))
    for i, name in enumerate(SURNAMES):
        rows.add("surname", _SURNAME_TEMPLATES[i % len(_SURNAME_TEMPLATES)], ("surname", name))
    for i in range(18):
        full = f"{FIRST_NAMES[(i * 11) % len(FIRST_NAMES)]} {SURNAMES[(i * 5 + 3) % len(SURNAMES)]}"
        rows.add("full", _FULL_TEMPLATES[i % len(_FULL_TEMPLATES)], ("full_name", full))
    for i in range(12):
        template, form = _ROLE_TEMPLATES[i % len(_ROLE_TEMPLATES)]
        first, last = FIRST_NAMES[(i * 13 + 5) % len(FIRST_NAMES)], SURNAMES[(i * 7 + 1) % len(SURNAMES)]
        value = {"first": first, "surname": last, "full": f"{first} {last}"}[form]
        rows.add("staff-role", template, ("staff_role", value))
    known = list(PARTICIPANTS) + [n.split()[0] for n in PARTICIPANTS] + [n.split()[-1] for n in PARTICIPANTS]
    for i, name in enumerate(known):
        text = name.lower() if i % 5 == 4 else name  # transcripts lower-case names too
        rows.add("participant", _KNOWN_TEMPLATES[i % 4], ("participant", text))
    for i, name in enumerate(STAFF + [n.split()[0] for n in STAFF[:2]]):
        rows.add("staff", _KNOWN_TEMPLATES[(i + 1) % 4], ("staff", name))
    for i in range(16):
        first = re.sub(r"[^a-z]", "", FIRST_NAMES[(i * 3) % len(FIRST_NAMES)].lower().translate(
            str.maketrans("żłóśíáéøåñ", "zlosiaeoan")))
        last = re.sub(r"[^a-z]", "", SURNAMES[(i * 5) % len(SURNAMES)].lower().translate(str.maketrans("áćí", "aci")))
        local = [f"{first}.{last}", f"{first}{rng.randint(70, 99)}", f"{first[0]}{last}", f"{first}_{last}"][i % 4]
        domain = ["gmail.com", "outlook.co.uk", "yahoo.fr", "web.de", "hotmail.nl", "company.com.au", "mail.ng", "uol.com.br"][i % 8]
        value = f"{local}@{domain}" if i % 7 else f"{local.upper()}@{domain.upper()}"
        rows.add("email", _EMAIL_TEMPLATES[i % len(_EMAIL_TEMPLATES)], ("email", value))
    for i, (pattern, _country) in enumerate(_PHONES):
        rows.add("phone", _PHONE_TEMPLATES[i % len(_PHONE_TEMPLATES)], ("phone", _fill(rng, pattern)))
    for i in range(10):
        number = rng.choice(["718", "305", "404", "512", "617", "773", "206", "303"]) + rng.choice("23456789") + _digits(rng, 6)
        rows.add("phone-bare", ["my cell is {0}", "call {0} and ask for me", "the number they had was {0}",
                                "it's {0}", "text me on {0}"][i % 5], ("phone_bare_10", number))
    for i in range(16):
        template = _CARD_TAIL_TEMPLATES[i % len(_CARD_TAIL_TEMPLATES)].replace("4{3}", "{0}")
        rows.add("card-tail", template, ("card_tail", _digits(rng, 4)))
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    for i in range(18):
        ref = "".join(rng.choice(alphabet + "23456789") for _ in range(6))
        if not any(c.isdigit() for c in ref):
            ref = ref[:2] + str(rng.randint(2, 9)) + ref[3:]
        if not any(c.isalpha() for c in ref):
            ref = rng.choice(alphabet) + ref[1:]
        if i % 6 == 5:
            ref = ref.lower()  # the transcriber typed it in lower case
        rows.add("booking-ref", _BOOKING_TEMPLATES[i % len(_BOOKING_TEMPLATES)], ("booking_ref", ref))
    for i in range(18):
        template, pattern = _ACCOUNT_TEMPLATES[i % len(_ACCOUNT_TEMPLATES)]
        rows.add("account", template, ("account", _fill(rng, pattern)))
    for i, country in enumerate(sorted(_IBAN_LENGTHS) + ["GB", "NL", "DE", "FR"]):
        rows.add("iban", _IBAN_TEMPLATES[i % len(_IBAN_TEMPLATES)], ("iban", _iban(rng, country, spaced=i % 2 == 0)))
    for i, address in enumerate(_ADDRESSES):
        rows.add("address", _ADDRESS_TEMPLATES[i % len(_ADDRESS_TEMPLATES)], ("address", address))
    for i, (code, place, _country) in enumerate(_POSTCODES):
        rows.add("postcode", _POSTCODE_TEMPLATES[i % len(_POSTCODE_TEMPLATES)].replace("{0}", "{0}" + place), ("postcode", code))
    for i, dob in enumerate(_DOBS):
        rows.add("dob", _DOB_TEMPLATES[i % len(_DOB_TEMPLATES)], ("date_of_birth", dob))
    _look_alikes(rows, rng)
    return rows.rows


def _look_alikes(rows: _Rows, rng: random.Random) -> None:
    """Numbers and capitalised words that are nobody's personal data: all must stay."""
    n = rng.randint
    negatives = {
        "price": [f"it was like £{n(40, 90)} each way", f"they charged me ${n(100, 400)}.00 for the bag",
                  f"€{n(10, 99)},50 for a sandwich, mad", f"the upgrade was {n(1, 9)},{n(100, 999)} rupees",
                  "we got 50% off the second ticket", f"roughly {n(2, 9)}k for the whole trip"],
        "flight": ["we were on BA283 back to London", "KL1002 was delayed again", "the Ryanair one, FR 8345",
                   "flight EZY6021 never boarded", "they moved us to LH 903", "UA 901 from Frankfurt"],
        "train_time": ["the 07:42 from Reading was cancelled", "we got the 18.15 train in the end",
                       "it leaves at quarter past nine", "there's one at 14:05 and one at 14:35"],
        "date": ["we flew out on 12/03/2025", "it was the 3rd of June", "back on 2025-11-02",
                 "sometime in March 2024", "on Tuesday the 14th"],
        "duration": ["we waited 45 minutes at the carousel", "six hours on the tarmac", "about 2 and a half hours",
                     "it took them 3 weeks to reply"],
        "count": ["there were 4 of us and 2 car seats", "I've flown with them 30 times maybe",
                  "we had 3 suitcases", "about 200 people in the queue", "I ordered 12 of them"],
        "model": ["I was using an iPhone 13", "it was an A320, the small one", "on the Boeing 787 the screens work",
                  "my Galaxy S21 wouldn't scan it", "the Pixel 7 app crashed"],
        "room_gate": ["we were in room 412", "gate 23 then gate 48", "terminal 2, desk 114", "seat 32A by the toilets"],
        "version": ["after version v2.3.1 it broke", "the app is on 5.14 now", "update 3.0 fixed it"],
        "brand": ["I ended up going to Tesco for food", "Ryanair were worse to be fair", "we flew Jet2 last year",
                  "I asked Alexa to check the flight", "Siri kept mishearing me", "paid on PayPal",
                  "booked it through Booking.com", "the Northwind Rewards app is rubbish", "Northwind Plus was meant to include bags"],
        "place": ["we were in Paris for two nights", "changed in Lagos", "Kraków was lovely actually",
                  "from Nairobi to Johannesburg", "Dublin airport is a nightmare", "we drove to Eindhoven",
                  "São Paulo was the worst leg", "Chelsea is where the hotel was", "Florence in August, never again"],
        "job_title": ["the duty manager came out eventually", "a cabin crew member helped", "the check-in agent was rude",
                      "customer service just hung up", "the supervisor said no"],
        "month_weekday": ["May is usually quiet", "in August it's chaos", "on Monday they rang back", "last Friday I tried again",
                          "April was when it started"],
        "word_start": ["Will they refund me though?", "Hope isn't a strategy, is it", "Grace period was 24 hours",
                       "Bill was higher than the quote", "Sunny day, delayed flight, typical", "Rose gold case, that's the one",
                       "Mark the bags as fragile", "Faith in them is gone", "Dawn flights are the cheapest",
                       "Joy of joys, another delay", "Honestly it was fine", "Basically nobody knew"],
        "context_no_number": ["the card was declined twice", "my booking vanished", "the reference didn't work",
                              "I'm a member of the loyalty scheme", "the account got locked", "for the last four years",
                              "the promotion ending soon was useless", "ending up in Leeds was not the plan"],
        "order_no": [f"order {n(10000, 99999)} never came", f"case number {n(1000000, 9999999)} is still open"],
    }
    for kind, sentences in negatives.items():
        for sentence in sentences:
            rows.add(f"neg-{kind.replace('_', '-')}", sentence, negative=kind)


# ----------------------------------------------------------------------------- the fresh probe
#: written after the recognisers were fixed against the held-out set above and scored once before
#: any further change (42 of 43 values, 0 of 30 look-alikes touched; BENCHMARKS.md): ``[[value|kind]]``
#: marks a planted value, kinds as in :data:`FRESH_KINDS`
FRESH_PLANTED = """we went with [[Obiageli|name]] and the twins, total chaos
[[Mbali|name]], my cousin, sorted the taxi
I think [[Dagny|name]] at the gate was new
and [[Eoghan|name]] from upstairs lent us a charger
so [[Ksenia|name]] on the phone said ring back tomorrow
the steward, [[Radek|name]], found us two seats
my flatmate [[Nnamdi|name]] booked the same flight
[[Teodora|name]] said it would take ten days
I emailed [[Bolanle|name]] twice about it
my wife [[Precious|name]] was furious
[[Gwen|name]] from work recommended them
we travelled with [[Sung-min|name]] and his mum
the manager, [[Oyelowo|name]], rang me back
I was transferred to [[McAllister|name]], who was very nice
Ms [[Nwachukwu|name]] signed the letter
it was [[Kofi|name]] who told me, he's the one interviewed
[[kofi boateng|name]] is my name on the booking
[[Aleksandra Wiśniewska|name]] rang me on the Monday
my number's [[0208 496 0374|phone]]
ring me on [[+353 87 123 4567|phone]]
call [[+27 (0)82 555 0134|phone]] after six
it's [[(617) 555-0144|phone]]
they had [[3125550177|phone]] on file
my mobile is [[+39 347 123 4567|phone]]
text [[0411-222-333|phone]]
my card ending [[0912|card]] was charged
it's the Mastercard, last four [[7730|card]]
the one that ends with [[1188|card]]
booking ref [[ZK8P2W|booking_ref]]
confirmation number [[4HH7QN|booking_ref]]
PNR is [[LQ4X7T|booking_ref]]
my Northwind number is [[NW 5521 9904|account]]
membership no. [[88120334|account]]
frequent flyer [[FF-7781-2290|account]]
customer reference [[CR-0099123|account]]
IBAN [[ES91 2100 0418 4502 0005 1332|iban]]
we're at [[42 Acacia Avenue|address]] now
I live at [[Flat 12, 9 Princes Street|address]]
my postcode's [[EH2 2ER|postcode]]
zip [[30301|postcode]]
born [[21/06/1983|date_of_birth]]
date of birth [[2 Feb 1990|date_of_birth]]
mail me at [[bo.lanle@example.org|email]]"""
FRESH_LOOK_ALIKES = """we flew BA117 to New York
the 06:40 to Manchester was late
it cost £249 return
we waited 3 hours 20 minutes
gate 14 then gate 52
room 318 was freezing
on the A380 the seats were better
app version 4.2.7 was buggy
Ryanair charged for the bag
I asked Alexa for the gate
we stayed in Kraków for a week
Lagos to Accra was fine
the duty manager apologised
May was cheaper than June
Will they ever fix it?
Grace period is two days apparently
the Bill for the room was wrong
Hope so anyway
Sunny in Malaga, rainy in Leeds
Jet2 were better to be fair
order 88213 went missing
about 40% were delayed
we booked 2 rooms for 3 nights
the Northwind app crashed
Tesco meal deal at the airport
flight KL1002 was on time
March 2025 was the last time
Tuesday the 4th we flew back
Mark the date, they said
the queue ending at gate 9 was long"""
#: the fresh probe's study: one participant, one brand
FRESH_PARTICIPANTS: dict[str, str] = {"Kofi Boateng": "P21"}
FRESH_KEEP_WORDS = ["Northwind"]
FRESH_KINDS: dict[str, str] = {k: k for k in ("name", "phone", "card", "booking_ref", "account", "iban", "address",
                                               "postcode", "date_of_birth", "email")}


def fresh_rows() -> list[dict[str, Any]]:
    """The fresh probe as rows like :func:`heldout_rows` (planted lines, then look-alikes).

    Example:
        >>> rows = fresh_rows()
        >>> sum(len(r["pii"]) for r in rows), sum(1 for r in rows if r["negative"])
        (43, 30)
    """
    rows = _Rows()
    for line in FRESH_PLANTED.splitlines():
        values = [(m.group(2), m.group(1)) for m in re.finditer(r"\[\[(.+?)\|(\w+)\]\]", line)]
        n = iter(range(len(values)))
        rows.add("fresh", re.sub(r"\[\[.+?\|\w+\]\]", lambda _m: "{" + str(next(n)) + "}", line), *values)
    for line in FRESH_LOOK_ALIKES.splitlines():
        rows.add("fresh-neg", line, negative="fresh")
    return rows.rows
