"""Write the labelled PII fixture ``sentences.jsonl`` (and ``study.json``) of this folder.

Run it again after changing a template: ``.venv/bin/python tests/data/pii/make_fixture.py``.
The output is deterministic (fixed seed), so the file only changes when this script does.

Each line of ``sentences.jsonl`` is one sentence:

    {"id": "phone-uk-003", "text": "...", "pii": [{"type": "phone", "start": 12, "end": 28, "value": "..."}],
     "negative": null}

``start``/``end`` index ``text`` exactly (``text[start:end] == value``). Types: ``email``,
``phone``, ``card``, ``iban``, ``name``, ``address``, ``booking_ref``. A name after a title
("Mrs Alvarez") is labelled without the title, which the redactor keeps on purpose.
Negative sentences have ``"pii": []`` and say what they look like in ``negative``
(``flight_number``, ``price``, ``date`` …): nothing in them is personal data.

``study.json`` holds what a study would configure: the participants (real name -> pseudonym),
the staff names of ``extra_names``, ``keep_words`` and the booking-reference pattern.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20261123

# --------------------------------------------------------------------------- the study
PARTICIPANTS = {  # first + last names common in several cultures
    "Maria Lopez": "P01", "Oluwaseun Adeyemi": "P02", "Wei Zhang": "P03", "Priya Raghunathan": "P04",
    "Jürgen Weiß": "P05", "Siobhán Murphy": "P06", "Kenji Watanabe": "P07", "Fatima Al-Sayed": "P08",
    "Tomasz Nowak": "P09", "Chloé Dubois": "P10", "Nguyen Thi Lan": "P11", "Ayşe Yılmaz": "P12",
    "Sanne de Vries": "P13", "Grace Kim": "P14", "Will Turner": "P15", "João Pereira": "P16",
}
EXTRA_NAMES = ["Kevin", "Dana Whitfield", "Mrs Alvarez", "Rashid Karimi"]
KEEP_WORDS = ["Skylark", "Skylark Miles", "Skylark Care"]
BOOKING_PATTERN = r"\bSKY-[A-Z0-9]{6}\b"

# unknown people: only cue words give them away
UNKNOWN_NAMES = [
    "Jonathan Price", "Ngozi Okonkwo", "Lars Johansson", "Mei Ling Chen", "Hamid Rezaei", "Giulia Bianchi",
    "Dmitri Ivanov", "Aaliyah Johnson", "Rahul Verma", "Élodie Lefèvre", "Pieter van den Berg", "Marta Kowalczyk",
    "Thandiwe Ndlovu", "Min-jun Park", "Carlos Mendoza", "Ingrid Halvorsen", "Yusuf Demir", "Anjali Gupta",
    "Sean O'Connor", "Hiroko Sato", "Kwame Mensah", "Beatriz Santos", "Omar Haddad", "Freya Lindqvist",
]
UNKNOWN_FIRST = ["Leon", "Ingrid", "Marek", "Beatriz", "Kemal", "Ruth", "Dmitri", "Aroha", "Zanele", "Tariq",
                 "Svetlana", "Mateo", "Hannah", "Arjun", "Keiko", "Bilal"]


def _luhn_digit(body: str) -> str:
    for check in "0123456789":
        digits = [int(c) for c in body + check]
        total = 0
        for i, d in enumerate(reversed(digits)):
            if i % 2 == 1:
                d = d * 2 - 9 if d * 2 > 9 else d * 2
            total += d
        if total % 10 == 0:
            return check
    raise AssertionError


def _card(rng: random.Random, prefix: str, length: int, groups: tuple[int, ...], sep: str) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    digits = body + _luhn_digit(body)
    out, pos = [], 0
    for g in groups:
        out.append(digits[pos:pos + g])
        pos += g
    return sep.join(out)


_IBAN_SHAPES = {  # country: BBAN shape (A letter, 9 digit, X alphanumeric)
    "GB": "AAAA99999999999999", "DE": "999999999999999999", "FR": "9999999999XXXXXXXXXXX99",
    "NL": "AAAA9999999999", "ES": "99999999999999999999", "IT": "A9999999999XXXXXXXXXXXX",
    "BE": "999999999999", "CH": "99999XXXXXXXXXXXX", "AT": "9999999999999999", "IE": "AAAA99999999999999",
    "PL": "999999999999999999999999", "PT": "999999999999999999999", "SE": "99999999999999999999",
    "DK": "99999999999999", "NO": "99999999999", "LU": "999XXXXXXXXXXXXX", "FI": "99999999999999",
}


def _iban(rng: random.Random, country: str) -> str:
    import string

    bban = "".join(rng.choice(string.ascii_uppercase if c == "A" else string.digits if c == "9"
                              else string.ascii_uppercase + string.digits) for c in _IBAN_SHAPES[country])
    number = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


def _grouped(iban: str) -> str:
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))


# --------------------------------------------------------------------------- sentence builder
class Fixture:
    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.counters: dict[str, int] = {}

    def add(self, group: str, template: str, *items: tuple[str, str], negative: str | None = None) -> None:
        """``template`` has ``{0}``, ``{1}`` … for the labelled ``items`` (type, value)."""
        text, pii, pos = "", [], 0
        for m in re.finditer(r"\{(\d+)\}", template):
            text += template[pos:m.start()]
            kind, value = items[int(m.group(1))]
            pii.append({"type": kind, "start": len(text), "end": len(text) + len(value), "value": value})
            text += value
            pos = m.end()
        text += template[pos:]
        self.counters[group] = self.counters.get(group, 0) + 1
        for p in pii:
            assert text[p["start"]:p["end"]] == p["value"]
        self.rows.append({"id": f"{group}-{self.counters[group]:03d}", "text": text, "pii": pii, "negative": negative})


def build() -> Fixture:
    rng = random.Random(SEED)
    fx = Fixture()
    E, P, C, I, N, A, B = "email", "phone", "card", "iban", "name", "address", "booking_ref"

    # ------------------------------------------------------------------ e-mails
    emails = [
        "maria.lopez@example.com", "j.smith+refunds@mail.example.co.uk", "o_adeyemi77@example.ng",
        "WEI.ZHANG@EXAMPLE.CN", "priya-r@sub.example.in", "juergen.weiss@beispiel.de", "s.murphy@example.ie",
        "kenji_w@example.jp", "fatima.alsayed@example.ae", "tomasz.nowak@przyklad.pl", "chloe.dubois@exemple.fr",
        "lan.nguyen@example.vn", "ayse1985@example.com.tr", "sanne@devries.example.nl", "grace.kim@example.kr",
        "joao.pereira@exemplo.com.br", "travel.fan.2024@gmail.example", "first.last@company-name.example.org",
        "x@ex.io", "info+booking_issue@travel-agency.example.travel", "a.b.c.d@e.example.museum",
        "noreply-not@example.com", "support-ticket-889@help.example.com", "ben.o'neil@example.com",
        "zoe_mueller@web.example.de", "k.mensah@example.com.gh", "li.na@163.example.com", "me@my-own-domain.example",
        "jürgen.weiß@beispiel.de", "josé.garcía@ejemplo.es", "Chloe.Dubois@Example.FR",
    ]
    email_templates = [
        "Email me at {0} with the e-ticket please.", "My address is {0}.", "Contact: <{0}>",
        "I wrote to {0} twice and nobody answered.", "Send the refund confirmation to {0}, not the old one.",
        "({0}) is where the invoice should go.", "mailto:{0} didn't work on the app.",
        "You can reach me at {0}; I check it daily.", "Reply-To: {0}", "they sent it to {0}!",
    ]
    for i, email in enumerate(emails):
        fx.add("email", email_templates[i % len(email_templates)], (E, email))
    fx.add("email", "CC {0} and {1} on the complaint.", (E, "dana.w@example.com"), (E, "team-lead@example.co.uk"))
    fx.add("email", "My wife's is {0} and mine is {1}.", (E, "anna.berg@example.se"), (E, "erik.berg@example.se"))

    # ------------------------------------------------------------------ phones, by country
    phones = {
        "us": ["+1 (212) 555-0187", "(415) 555-0132", "415-555-0132", "415.555.0132", "+1 415 555 0132",
               "1-800-555-0199", "+1-646-555-0143", "(312) 555 0178", "+1.303.555.0110", "212 555 0187",
               "1 (800) 555-0199"],
        "uk": ["+44 20 7946 0958", "+44 (0)20 7946 0958", "020 7946 0958", "07700 900123", "+44 7700 900123",
               "0161 496 0000", "+44 161 496 0000", "(020) 7946 0958", "0044 20 7946 0958", "07700-900-456",
               "+447700900789", "07700900123",
               "+44 (0) 7700 900 123"],
        "de": ["+49 30 901820", "+49 (0)30 12345678", "030 12345678", "0170 1234567", "+49 170 1234567",
               "+49-89-1234567", "089/1234567", "0049 30 1234567", "030-1234567", "+49 (0) 170 9876543", "(030) 1234567",
               "+49 (30) 1234567"],
        "fr": ["+33 1 23 45 67 89", "01 23 45 67 89", "06 12 34 56 78", "+33 6 12 34 56 78", "01.23.45.67.89",
               "+33 (0)1 23 45 67 89", "0033 6 12 34 56 78", "07-12-34-56-78",
               "06.12.34.56.78"],
        "in": ["+91 98765 43210", "+91-98765-43210", "098765 43210", "+91 22 2345 6789", "+91 80 4123 4567",
               "0091 98765 43210", "+919876543210", "022 2345 6789",
               "98765 43210", "98765-43210"],
        "au": ["+61 2 9876 5432", "(02) 9876 5432", "02 9876 5432", "0412 345 678", "+61 412 345 678",
               "+61 (0)2 9876 5432", "0412-345-678", "+61 3 9123 4567"],
        "nl": ["+31 20 123 4567", "020-1234567", "06-12345678", "+31 6 12345678", "0031 20 123 4567",
               "06 1234 5678", "+31 (0)20 123 4567", "010 123 4567",
               "+31-6-12345678"],
        "other": ["+34 912 345 678", "+39 06 1234 5678", "+39 333 123 4567", "+353 1 234 5678", "087 123 4567",
                  "+41 44 668 18 00", "+46 8 123 456 78", "+55 11 91234-5678", "+81 3-1234-5678",
                  "+65 6123 4567", "+27 21 123 4567", "+971 4 123 4567", "+48 22 123 45 67", "+90 212 123 45 67",
                  "0800 123 4567", "0471 12 34 56", "044 668 18 00"],
        "es-it": ["612 345 678", "912 345 678", "+34 612 34 56 78", "333 123 4567", "347 1234567",
                  "06 1234 5678", "+39 347 123 4567"],
    }
    phone_templates = [
        "Call me on {0} after six.", "You can reach me on {0} any time.", "My mobile is {0} if the app logs me out again.",
        "I rang {0} three times and got the IVR loop each time.", "Phone: {0}", "The hotel gave me {0} as a contact.",
        "Please text {0} when the flight is rebooked.", "(mobile {0}) is the best way to reach me.",
        "My number is {0}, my husband's is below.", "I'm on {0}.", "The desk number {0} never answers.",
    ]
    for country, numbers in phones.items():
        for j, number in enumerate(numbers):
            fx.add(f"phone-{country}", phone_templates[(j + len(country)) % len(phone_templates)], (P, number))
    fx.add("phone-other", "Home {0}, work {1}.", (P, "020 7946 0011"), (P, "+44 161 496 0022"))
    fx.add("phone-other", "Tel.: {0} / Fax: {1}", (P, "+49 30 1234567"), (P, "+49 30 1234568"))

    # ------------------------------------------------------------------ cards (Luhn-valid)
    card_kinds = [  # prefix, length, groups
        ("4", 16, (4, 4, 4, 4)), ("51", 16, (4, 4, 4, 4)), ("55", 16, (4, 4, 4, 4)), ("2221", 16, (4, 4, 4, 4)),
        ("34", 15, (4, 6, 5)), ("37", 15, (4, 6, 5)), ("6011", 16, (4, 4, 4, 4)), ("3528", 16, (4, 4, 4, 4)),
        ("36", 14, (4, 6, 4)), ("4", 13, (4, 4, 5)), ("6759", 19, (4, 4, 4, 4, 3)), ("62", 16, (4, 4, 4, 4)),
    ]
    card_templates = [
        "They charged {0} twice.", "My card {0} was declined at the gate.", "Card number: {0}",
        "I paid with {0} and got no receipt.", "the card ending... no, the whole number is {0}",
        "Refund it to {0}, exp 09/27.", "Visa {0} was charged £412.50.", "(card {0})",
    ]
    n = 0
    for sep in (" ", "-", ""):
        for prefix, length, groups in card_kinds:
            fx.add("card", card_templates[n % len(card_templates)], (C, _card(rng, prefix, length, groups, sep)))
            n += 1

    # ------------------------------------------------------------------ IBANs
    iban_templates = [
        "Refund to {0} please.", "My IBAN is {0}.", "IBAN: {0}", "Pay it back into {0} (my savings account).",
        "Bank details {0}, BIC not needed.", "Please use {0} for the compensation.",
    ]
    n = 0
    for country in _IBAN_SHAPES:
        iban = _iban(rng, country)
        fx.add("iban", iban_templates[n % len(iban_templates)], (I, iban))
        fx.add("iban", iban_templates[(n + 1) % len(iban_templates)], (I, _grouped(iban if country != "GB" else _iban(rng, "GB"))))
        n += 2

    # ------------------------------------------------------------------ names: participants and staff (no cue)
    known_templates = [
        "{0} booked the Lisbon trip.", "I asked {0} about it.", "{0}'s booking vanished from the app.",
        "Yesterday {0} said the refund was coming.", "We flew with {0} and the kids.", "That was {0}'s idea.",
        "The app showed {0} as the lead passenger.", "Then {0} lost the boarding pass.",
    ]
    n = 0
    for real in PARTICIPANTS:
        parts = real.split()
        first, last = parts[0], parts[-1]
        fx.add("name-known", known_templates[n % len(known_templates)], (N, real))
        fx.add("name-known", known_templates[(n + 3) % len(known_templates)], (N, first))
        if last.casefold() not in {"kim", "turner", "lan"}:  # short or word-like surnames are said with the first name
            fx.add("name-known", known_templates[(n + 5) % len(known_templates)], (N, last))
        n += 1
    fx.add("name-staff", "{0} said wait another week.", (N, "Kevin"))
    fx.add("name-staff", "Mrs {0} upgraded us in the end.", (N, "Alvarez"))
    fx.add("name-staff", "{0}: go on, what happened next?", (N, "Dana Whitfield"))
    fx.add("name-staff", "On the phone {0} promised a callback.", (N, "Rashid Karimi"))
    fx.add("name-staff", "I think {0} was the supervisor.", (N, "Rashid"))
    fx.add("name-known", "{0} and {1} both got the same error.", (N, "Wei"), (N, "Kenji"))
    # transcripts typed without the accents of participants.csv
    for template, spelled in [("{0} booked it.", "Jurgen Weiss"), ("I asked {0} twice.", "Juergen"),
                              ("{0} said no.", "Siobhan"), ("Then {0} called.", "Chloe Dubois"),
                              ("{0} paid for everyone.", "Ayse Yilmaz"), ("That was {0}'s bag.", "Joao"),
                              ("{0} was upset.", "MARIA LOPEZ"), ("{0} lost the pass.", "Al-Sayed")]:
        fx.add("name-known", template, (N, spelled))
    fx.add("name-known", "Will I see {0} again at the desk? {1} said maybe.", (N, "Grace"), (N, "Will"))

    # ------------------------------------------------------------------ names: unknown people after cues
    cue_templates = [
        ("Hello, my name is {0} and I'm furious.", 2), ("I'm {0}, I fly a lot for work.", 2),
        ("Hi, this is {0} from the loyalty team.", 1), ("Dear {0}, sorry for the delay.", 1),
        ("Nothing came.\nKind regards,\n{0}", 2), ("Please fix it. Thanks, {0}", 1),
        ("An agent called {0} promised a callback.", 2), ("A lady named {0} helped us.", 1),
        ("I spoke to {0} at the desk.", 1), ("Then I spoke with {0}'s manager.", 1), ("Mr {0} refused to help.", -1),
        ("Dr. {0} is my travel companion.", -1), ("My name's {0}.", 2), ("Best regards,\n{0}", 2),
        ("Cheers, {0}", 1), ("Her name was {0}, very helpful.", 2), ("I talked to {0} twice.", 2),
        ("Hi {0},\nyour refund is done.", 1), ("Ms. {0} at check-in was rude.", -1),
        ("The manager, a man named {0}, apologised.", 2), ("This is {0} here, calling about my refund.", 1),
    ]
    full_i = first_i = 0
    for _round in range(4):
        for template, tokens in cue_templates:
            if tokens == 2:
                name = UNKNOWN_NAMES[full_i % len(UNKNOWN_NAMES)]
                full_i += 1
            elif tokens == 1:
                name = UNKNOWN_FIRST[first_i % len(UNKNOWN_FIRST)]
                first_i += 1
            else:  # after a title: the surname
                name = UNKNOWN_NAMES[(full_i + 7) % len(UNKNOWN_NAMES)].split()[-1]
                full_i += 1
            fx.add("name-cue", template, (N, name))

    # ------------------------------------------------------------------ addresses and booking references
    addresses = ["221B Baker Street, London NW1 6XE", "1600 Amphitheatre Parkway, Mountain View, CA 94043",
                 "42 Elm Rd", "Flat 3, 17 Kings Road", "Friedrichstraße 43, 10117 Berlin", "Berliner Straße 12",
                 "12 rue de Rivoli, 75001 Paris", "Calle Mayor 10", "Keizersgracht 123", "Via Roma 12",
                 "55 George Street, Sydney", "9 Hillcrest Avenue"]
    for i, address in enumerate(addresses):
        fx.add("address", ["Send it to {0}.", "I live at {0}, the buzzer is broken.", "Deliver to {0}"][i % 3],
               (A, address))
    for i in range(12):
        ref = "SKY-" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
        fx.add("booking", ["Booking {0} vanished.", "My reference is {0}.", "({0}) was cancelled without notice.",
                           "Ref: {0}"][i % 4], (B, ref))

    # ------------------------------------------------------------------ mixed sentences
    fx.add("mixed", "{0} ({1}, {2}) paid with {3} for {4}.", (N, "Maria Lopez"), (E, "maria@example.com"),
           (P, "+44 20 7946 0958"), (C, _card(rng, "4", 16, (4, 4, 4, 4), " ")), (B, "SKY-4QZ81M"))
    fx.add("mixed", "I'm {0}, call {1} or mail {2}.", (N, "Carlos Mendoza"), (P, "+34 612 345 678"),
           (E, "carlos.m@example.es"))
    fx.add("mixed", "Refund {0} to {1}, then text {2}. Thanks, {3}", (B, "SKY-7TT2QA"), (I, _grouped(_iban(rng, "NL"))),
           (P, "06 1234 5678"), (N, "Freya"))
    fx.add("mixed", "Kind regards,\n{0}\n{1}\n{2}", (N, "Ingrid Halvorsen"), (P, "+47 22 12 34 56"),
           (E, "ingrid.h@example.no"))

    # any company's booking references, found by the words before them (issue 19; were negatives before)
    fx.add("booking-context", "My PNR is {0}.", (B, "7XK2QB"))
    fx.add("booking-context", "Confirmation code {0} was not recognised.", (B, "ABC123"))
    fx.add("booking-context", "Reference number {0} on the email.", (B, "20260914-77"))

    # ------------------------------------------------------------------ negatives: look alike, are not PII
    negatives = {
        "flight_number": ["Flight BA 2490 left two hours late.", "We were moved from LH400 to LH402.",
                          "EK 29 was cancelled, then EK 31 too.", "Flight SK 1234 left in 2024.",
                          "My connection AF1681 was missed.", "U2 8123 to Geneva was overbooked.",
                          "Flight number QF 1 is the Sydney one."],
        "booking_reference": ["Ticket 125-2345678901 was reissued."],
        "order_number": ["Order 1234 5678 1234 5678 is on the receipt.", "Order 1234567812345678 is on the receipt.",
                         "Transaction 4111 1111 1111 1112 failed.", "Invoice INV-2026-004512 was wrong.",
                         "Order #100234567 never shipped.", "Case 00412398 is still open.",
                         "Tracking 1Z 999 AA1 01 2345 6784 shows nothing.", "order no. 4402198837"],
        "price": ["It cost £1,234.56 in the app and €1.310,00 at checkout.", "Prices 1 234 567 EUR.",
                  "They quoted $2,345,678 for the group.", "The fee was 89.99 USD per bag.",
                  "I paid ₹45,000 for two seats.", "A$ 1 299 for the upgrade is too much.",
                  "About 35% of the fare was fees."],
        "date": ["The flight on 2026-09-14 was delayed.", "Dates 14/09/2026, 14.09.2026 and 09-14-2026.",
                 "We return on 3 March 2027.", "Booked 12.12.2025 for 01.02.2026.",
                 "Between 2024-01-01 and 2024-12-31 I flew 40 times."],
        "time": ["Between 10:30-11:15 nobody answered.", "Boarding at 14:30, departure 15:05.",
                 "The desk opens 06:00 – 22:00 daily.", "We waited from 9.15 to 11.45."],
        "product": ["The iPhone 15 Pro app crashes.", "Seat 14C on the Boeing 787-9 was broken.",
                    "The A350-1000 had no Wi-Fi.", "Version 4.12.3 crashes; build 20260914 too.",
                    "My Galaxy S24 can't show the pass.", "ISBN 978-3-16-148410-0 is a book, not a phone."],
        "postcode": ["Flights from the SW1A area are pricier.", "Everyone in 10117 got the same email.",
                     "The depot in 75001 is closed."],
        "loyalty_and_counts": ["My Skylark Miles went from 12,500 to 0.", "Terminal 5, gate 22, seat 14C.",
                               "The 2FA code 483920 never arrived.", "I have called 14 times in 3 weeks.",
                               "Room 1204 had no hot water.", "We were 4 adults and 2 children."],
        "everyday": [
            "The app said 3 of 4 bags were checked, then 0 of 4.", "We flew 2,450 km for nothing.",
            "Queue number 117, then 118, then back to 117.", "The 07:45 train to Gatwick was on time.",
            "Call centre wait: 74 minutes on 12 March, 81 minutes on 14 March.",
            "I gave it 1 star out of 5.", "Temperatures hit 38 °C in the terminal.",
            "Baggage allowance is 23 kg, they weighed 23.4 kg.", "Only 612 345 passengers a year use it, they said.",
            "The voucher code SUMMER25 didn't work.", "Our group of 12 had 12 different seat rows.",
            "Between 1 and 3 May we called 9 times.", "The refund of 1.299,00 € arrived on 30.06.2026.",
            "Our itinerary: 06:10 LHR – 09:20 FCO, 10:45 FCO – 12:05 ATH.",
            "Seats 23A, 23B and 23C were all broken.", "Kilometres flown in 2025: 48 210.",
            "Nearly 1 in 3 of my trips was delayed.", "Hotel rating 4.5/5 on the app, 2/5 in reality.",
            "The policy ref 2026/0917/44 covers the delay.", "Gate changed from B12 to C33 at 14.05.",
            "App version 10.2.1 (build 4471) fixed the login.", "I earned 3 200 Skylark Miles on the trip.",
            "The 35 € fee is charged per passenger per leg.", "Coach 7, seat 61, platform 9¾ (joke).",
            "Our kids are 4, 7 and 11 years old.", "The 0800 number was not free from a mobile.",
        ],
        "name_like_words": ["I'm really upset about the refund.", "I'm Really Upset.", "Thanks, Skylark",
                            "Will I ever get my money back?", "Dear Customer, your booking changed.",
                            "Hi Team,\nchecking my Skylark Miles.", "Best regards, The Skylark Team",
                            "I spoke to Customer Services twice.", "May we have a refund?",
                            "I'm Gold Member since 2019.", "Grace period ended, they said.",
                            "The lounge at Charles de Gaulle was closed.", "We stayed near Victoria Station.",
                            "I'm flying to Florence next week.", "Jordan was our stopover.",
                            "Hi there, the app is broken again.", "Thanks, but no thanks.",
                            "Dear Skylark Care, I am writing about my refund.", "I'm Platinum and still waited.",
                            "Cheers, Skylark, for nothing.", "I spoke to Skylark Care on Monday.",
                            "This is Terminal 2 from the outside, right?", "Kind regards, Frustrated Passenger",
                            "My name is on the booking but misspelled.", "Mr Customer Service never called back.",
                            "We stayed at the Hilton Garden Inn.", "Virgin Atlantic were better.",
                            "The Ritz-Carlton lounge was full.", "Santa Monica was lovely though.",
                            "St. Louis to Denver was cancelled twice."],
    }
    for kind, sentences in negatives.items():
        for sentence in sentences:
            fx.add(f"neg-{kind.replace('_', '-')}", sentence, negative=kind)
    return fx


def main() -> None:
    fx = build()
    with open(HERE / "sentences.jsonl", "w", encoding="utf-8") as handle:
        for row in fx.rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    study = {"participants": PARTICIPANTS, "extra_names": EXTRA_NAMES, "keep_words": KEEP_WORDS,
             "booking_reference_pattern": BOOKING_PATTERN}
    (HERE / "study.json").write_text(json.dumps(study, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    n_pii = sum(len(r["pii"]) for r in fx.rows)
    print(f"{len(fx.rows)} sentences, {n_pii} PII instances, {sum(1 for r in fx.rows if r['negative'])} negatives")


if __name__ == "__main__":
    main()
