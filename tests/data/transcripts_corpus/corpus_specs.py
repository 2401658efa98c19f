"""The conversations of the transcript corpus: who says what, in which file and layout.

Every transcript here was written for this corpus (no third-party content); the layouts
follow the tools' documented exports (see ``workbench/ingest/vendors.py``). A turn is
``(label, text)``; ``text`` may hold ``\\n`` for an answer written over several lines.
``roles`` gives each label's expected role; labels not listed are participants ("customer").
"""
from __future__ import annotations

I, C, A = "interviewer", "customer", "agent"

#: the study team, as study.toml names them
INTERVIEWER_NAMES = ["Kim Osei", "Ravi Menon", "Ayşe Demir", "Noor Al-Sayed", "Chidi Okafor"]

# ----------------------------------------------------------------------------- a community call (Zoom .vtt)
_CALL_PEOPLE = [
    "tomas-vidal", "owlbyte", "kx512", "JPerales", "Inês Carvalho | Lumen", "Marek Nowak (Tessera)",
    "Олег Петров", "王芳", "أحمد منصور", "🌻 Priya", "dev_rahul", "Guillermo", "sam.okoro", "Lea Brandt",
    "hana-k", "Tobi Adeyemi | Relay", "mtx", "Chen Yu", "Rosa Ilić", "nfrost", "Daniel Kuo (Arbor)",
    "aurelie_m", "Bjørn Haug",
]
_CALL_LINES = [
    "Welcome everyone, let's get going with the agenda for today.",
    "Quick update from our side: the sync bug is fixed in the nightly build.",
    "We still see peers dropping after about 10:30 UTC, no idea why yet.",
    "Same here, it looks like a timeout in the handshake.",
    "I wrote it up at https://example.org/issues/42: see there for logs.",
    "Note: the logs are from the test network only, not production.",
    "Can we agree to ship the fix on Thursday?",
    "Thursday works for us.",
    "We need one more day for the release notes.",
    "Fine by me, Friday then.",
    "The memory use doubled after the last upgrade, which hurts small nodes.",
    "Our users complain that the setup guide is out of date.",
    "The documentation still says version two everywhere.",
    "I can take the docs, I have time next week.",
    "Thanks, that would help a lot.",
    "Our dashboards broke when the metrics were renamed.",
    "We should have announced the rename earlier.",
    "Agreed, a changelog entry was not enough.",
    "Small thing: the error message on a bad config file is unreadable.",
    "Plus one, it just says invalid input.",
    "Let's open an issue for better config errors.",
    "I'll do it after the call.",
    "Anything else before we close?",
]


def community_call() -> list[tuple[str, str]]:
    """23 speakers, the first one twice in a row (two cues, one turn)."""
    turns = [(_CALL_PEOPLE[0], "Hi all, can everyone hear me?")]
    for index, line in enumerate(_CALL_LINES):
        turns.append((_CALL_PEOPLE[index % len(_CALL_PEOPLE)], line))
    turns.append((_CALL_PEOPLE[1], "Nothing from me."))
    turns.append((_CALL_PEOPLE[0], "Then see you in two weeks, thanks all."))
    return turns


ZOOM_TXT_PEOPLE = ["Sara Lindgren", "pk-atlas", "Moe Tanaka | Nodewise", "ruben.dias", "Kwabena Mensah",
                   "Ling Wu", "flux77", "Ana Petrova", "ohm", "Jasper de Vries", "Camila (Lighthouse)", "zed"]


def zoom_saved_transcript() -> list[tuple[str, str]]:
    lines = [
        "Good morning, this is the monthly maintainers call.",
        "Morning! The release candidate is out since yesterday.",
        "We tested it on our side and the upgrade took forty minutes.",
        "Forty minutes is far too long for operators.",
        "Most of the time goes into rebuilding the index.",
        "Could the index be rebuilt in the background?",
        "Possibly, but it needs a flag and more testing.",
        "Operators told us the upgrade guide skips the backup step.",
        "That is a real risk, somebody lost data last month.",
        "We'll add the backup step to the guide today.",
        "Also the download page links the old checksum file.",
        "Good catch, I'll fix the link.",
    ]
    turns = [(ZOOM_TXT_PEOPLE[i], line) for i, line in enumerate(lines)]
    turns.append((ZOOM_TXT_PEOPLE[0], "Thanks everyone.\nSame time next month."))
    return turns


# ----------------------------------------------------------------------------- interviews
OTTER = [
    ("Kim Osei", "Thanks for joining. Could you tell me how you pay your energy bill today?"),
    ("Tomasz Wiśniewski", "Mostly through the app. I set up a direct debit two years ago,\n"
                          "but last winter the amount jumped without any warning."),
    ("Kim Osei", "What happened when it jumped?"),
    ("Tomasz Wiśniewski", "I called the hotline and waited fifty minutes.\nNobody could explain the new amount."),
    ("Kim Osei", "How did that make you feel?"),
    ("Tomasz Wiśniewski", "Honestly, like a number. The letter came a week after the money was gone."),
    ("Kim Osei", "Is there anything the app does well?"),
    ("Tomasz Wiśniewski", "Meter readings are easy, you take a photo and it's done."),
]

OTTER_DIARISED = [
    ("Speaker 1", "So, first question: how do you usually order groceries?"),
    ("Speaker 2", "On my phone, on the bus home from work. It's quick when it works."),
    ("Speaker 1", "When does it not work?"),
    ("Speaker 2", "Substitutions. I ordered oat milk and got cream, twice in one month."),
    ("Speaker 1", "What did you do about it?"),
    ("Speaker 2", "I asked for a refund in the chat, which took three days to arrive."),
    ("Speaker 1", "Would you order again?"),
    ("Speaker 2", "Probably, the delivery slots are the best in town. I just don't trust the substitutions."),
]

REV = [
    ("Ravi Menon", "Thanks for taking the time. Tell me about the last time you booked a doctor's appointment online."),
    ("Lucía Fernández", "Last Tuesday. The booking page asked for my insurance number three times."),
    ("Ravi Menon", "Three times?"),
    ("Lucía Fernández", "Yes, every time I went back a step, the form was empty again.\nIn the end I phoned the practice."),
    ("Ravi Menon", "And on the phone?"),
    ("Lucía Fernández", "The receptionist was lovely and it took two minutes. The website should be that easy."),
]

DESCRIPT = [
    ("Moderator", "Welcome. How long have you been using the budgeting app?"),
    ("李明", "About a year. I moved from a spreadsheet."),
    ("Moderator", "What made you switch?"),
    ("李明", "The bank sync. But it breaks every few weeks and I have to log in again."),
    ("Moderator", "What happens when it breaks?"),
    ("李明", "My numbers are wrong for days and I only notice at the end of the month."),
]

TEAMS_VTT = [
    ("Okafor, Chidi", "Thanks both for joining. What do you use the scheduling tool for?"),
    ("Brandt, Lena", "We plan shifts for twelve nurses on our ward."),
    ("Haddad, Yusuf", "And I approve holiday requests &amp; swaps."),
    ("Okafor, Chidi", "What gets in the way?"),
    ("Brandt, Lena", "Swaps. A swap needs three clicks per day and the app forgets half of them."),
    ("Haddad, Yusuf", "And the notifications arrive hours late, so people miss their new shifts."),
    ("Okafor, Chidi", "How do you work around it?"),
    ("Brandt, Lena", "A paper list on the wall, honestly."),
]

TEAMS_DOCX = [
    ("Ayşe Demir", "Thanks for your time. How did you first hear about the transit pass?"),
    ("Jonas Lindqvist", "A poster at the station. I signed up on the website the same day."),
    ("Ayşe Demir", "How was signing up?"),
    ("Jonas Lindqvist", "Slow. The photo upload failed on my phone, so I had to use my laptop."),
    ("Ayşe Demir", "Anything else?"),
    ("Jonas Lindqvist", "The card took three weeks to arrive. Meanwhile I paid full fare."),
]

TEAMS_DOCX_OLD = [
    ("Facilitator", "Let's start. What do you remember about opening your account?"),
    ("Marta Kowalska", "The identity check. I had to film my face and my passport."),
    ("Facilitator", "How did that go?"),
    ("Marta Kowalska", "It failed four times because of the light in my kitchen."),
    ("Facilitator", "Did you finish it in the end?"),
    ("Marta Kowalska", "At a branch, after a week of trying."),
]

GOOGLE_MEET = [
    ("Noor Al-Sayed", "Hello both, thanks for joining. Tell me about your last parcel delivery."),
    ("Fatou Diop", "It was marked delivered but it wasn't at my door."),
    ("Wei Zhang", "Same for me last month, it was at a neighbour's three floors up."),
    ("Noor Al-Sayed", "What did you do then?"),
    ("Fatou Diop", "I opened a claim in the app. The claim form has no place for photos."),
    ("Wei Zhang", "I just knocked on every door. The tracking map showed the wrong street."),
    ("Noor Al-Sayed", "What would have helped?"),
    ("Fatou Diop", "A photo of where they left it, like other couriers do."),
]

SBV = [
    ("Interviewer", "How do you top up your prepaid phone?"),
    ("Olu Adebayo", "With vouchers from the corner shop. The app never accepts my card."),
    ("Interviewer", "What does the app say?"),
    ("Olu Adebayo", "Payment declined, nothing else. The bank says the payment never reached them."),
    ("Interviewer", "Did support help?"),
    ("Olu Adebayo", "They told me to reinstall the app. It didn't help."),
]

AI_INTERVIEWS = [
    [
        ("Assistant", "Hi! I'm running a short interview about your experience with our pharmacy app. "
                      "How do you usually order your prescriptions?"),
        ("User", "I order repeat prescriptions in the app every month."),
        ("Assistant", "What is the hardest part of ordering?"),
        ("User", "Knowing when it's ready. The status says 'processing' for days\nand then suddenly it's late."),
        ("Assistant", "Thanks. Is there anything you would change?"),
        ("User", "A text message when it's ready to collect."),
    ],
    [
        ("Assistant", "Thanks for joining. How do you usually order your prescriptions?"),
        ("User", "My daughter does it for me on her phone."),
        ("Assistant", "Why does your daughter order them?"),
        ("User", "The letters on the screen are too small for me and the buttons move around."),
        ("Assistant", "What would make it easier for you to order yourself?"),
        ("User", "Bigger text. And a phone number that a person answers."),
    ],
    [
        ("Assistant", "How do you usually order your prescriptions?"),
        ("User", "Online, but I always forget my password."),
        ("Assistant", "What happens then?"),
        ("User", "The reset email goes to spam and the link expires after ten minutes."),
        ("Assistant", "Anything else about the app?"),
        ("User", "Delivery is great when it works: two days, no queue."),
    ],
    [
        ("Assistant", "Could you tell me how you order your prescriptions?"),
        ("User", "In the app, for me and my two kids."),
        ("Assistant", "How does ordering for your children work?"),
        ("User", "Badly. I need a separate account for each child,\nso I log out and in three times."),
        ("Assistant", "What would help?"),
        ("User", "One family account with all of us in it."),
    ],
]

SUPPORT_CALL = [
    ("AGENT", "Thanks for calling the broadband helpline, how can I help?"),
    ("CUSTOMER", "My internet drops every evening around eight."),
    ("AGENT", "I'm sorry to hear that. Have you restarted the router?"),
    ("CUSTOMER", "Every day for two weeks. It's the third time I call about this."),
    ("AGENT", "I can book an engineer visit for Friday."),
    ("CUSTOMER", "Friday again? The last engineer never came."),
]

GROUP = [
    ("Moderator 1", "Welcome to the group. Let's go round: how do you book train tickets?"),
    ("Participant 1", "Always in the app. Seat reservations are the best part."),
    ("Participant 2", "At the machine at the station, I don't trust apps."),
    ("Participant 3", "On the website, because the app hides the cheap fares."),
    ("Participant 4", "Through my employer's travel portal."),
    ("Moderator 2", "What went wrong the last time?"),
    ("Participant 2", "The machine took my card and printed nothing."),
    ("Participant 3", "A delay refund took two months."),
    ("Participant 1", "My seat was double booked."),
    ("Moderator 1", "Thanks all, last question: what would you change first?"),
    ("Participant 4", "Refunds without forms."),
]

FOCUS_GROUP = [
    ("Kim Osei", "Thank you all for coming. What do you think of the new library app?"),
    ("Ольга Смирнова", "I like the reservations, but the app logs me out every day."),
    ("سارة حداد", "The search never finds books in Arabic."),
    ("Ravi Menon", "Could you say more about the search?"),
    ("سارة حداد", "I type the exact title and get zero results.\nNote: the website finds the same book at once."),
    ("🌻 Priya", "For me the reminders come after the book is already late."),
    ("Dmitri Volkov", "And renewing a loan needs the card number from the back of the card."),
    ("Kim Osei", "Which of these matters most to you?"),
    ("Amara Nwosu", "The reminders. I paid three late fees this year."),
]

TABLE = [
    ("I", "When did you last use our car sharing service?"),
    ("R", "Yesterday, to move a sofa."),
    ("I", "How was it?"),
    ("R", "The car was dirty and the fuel card was missing, so I paid for fuel myself."),
    ("I", "Did you get the money back?"),
    ("R", "Not yet, the expense form rejects photos of receipts."),
]

PLAIN = [
    ("Interviewer", "Thanks for talking to me. How do you pay for parking in the city?"),
    ("Maria Souza", "With the parking app, every day at 10:30 when I arrive at work.\n"
                    "Note: the app only works in the centre.\n"
                    "Outside the centre I need coins."),
    ("Interviewer", "What goes wrong?"),
    ("Maria Souza", "The zone number. The sign says one zone and the app another one.\n"
                    "I said: no more, and took a photo of the sign.\n"
                    "Also: the fine came anyway."),
    ("Interviewer", "What did you do with the fine?"),
    ("Maria Souza", "I appealed on https://example.org/appeals: it took eight weeks."),
]

PLAIN_REPEAT = [
    ("Interviewer", "Thanks for coming in. How do you renew your library books?"),
    ("Maria Souza", "I never managed online, I go to the desk."),
    ("Interviewer", "Why not online?"),
    ("Maria Souza", "The PIN they gave me never worked."),
]

FOLLOWUP = [
    ("Kim Osei", "Thanks for talking to us again. Did the direct debit change since our last call?"),
    ("Tomasz Wiśniewski", "Yes, it went down again, but I only noticed on my bank statement."),
    ("Kim Osei", "How would you have liked to hear about it?"),
    ("Tomasz Wiśniewski", "An email before the change, with the reason."),
]

DIARISED_THREE = [
    ("Speaker 1", "Hi, thanks for having me."),
    ("Speaker 2", "Thanks for joining, both of you. How do you split the rent payments?"),
    ("Speaker 1", "Each of us pays our part to the landlord by bank transfer."),
    ("Speaker 3", "And I pay the bills, then they pay me back."),
    ("Speaker 2", "How does paying back work?"),
    ("Speaker 3", "Through a payment app, but it charges a fee for business accounts."),
    ("Speaker 2", "Is that a problem?"),
    ("Speaker 1", "A small one. The bigger one is that the landlord's account changed twice this year."),
]

HANDLES_CHAT = [
    ("owlbyte", "morning all, the nightly failed again"),
    ("kx512", "yeah the test runner ran out of disk"),
    ("mira_t", "I cleaned the cache yesterday, it should have room"),
    ("owlbyte", "still fails, see the log\nso basically: the disk fills up during the integration tests"),
    ("tomas-vidal", "we could split the integration tests in two jobs"),
    ("kx512", "works for me"),
    ("pk-atlas", "I'll try the split today\nnote: the jobs need a shared cache"),
    ("mira_t", "ping me when it's ready"),
]

CYRILLIC = [
    ("Интервьюер", "Расскажите, как вы покупаете билеты на поезд?"),
    ("Анна Кузнецова", "Через приложение. Но оплата картой часто не проходит."),
    ("Интервьюер", "Что вы делаете тогда?"),
    ("Анна Кузнецова", "Иду в кассу на вокзале и стою в очереди."),
]

TWO_INTERVIEWERS = [
    ("KIM", "Thanks for joining us. How do you manage your pension savings?"),
    ("ELENA", "I look at the online portal once a year, when the statement arrives."),
    ("RAVI", "What do you look for in the statement?"),
    ("ELENA", "The fees. They are hidden on page six, in small print."),
    ("KIM", "Did you ever contact the provider?"),
    ("ELENA", "Once. The chat bot sent me back to the same page six."),
]
