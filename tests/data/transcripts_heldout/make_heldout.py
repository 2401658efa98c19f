"""Write the held-out transcript corpus: files written from the vendors' documented export layouts.

Written independently of ``transcripts_corpus/`` (other renderers, other names, other traps) to
check that the readers generalise. Run: ``.venv/bin/python tests/data/transcripts_heldout/make_heldout.py``.
Deterministic; writes ``transcripts/``, ``study.toml``, ``participants.csv`` and ``expected.json``
(per file: the format the report names, the merged turns as [label, role, text], and the person
behind each participant label: ``"file:label"`` unless participants.csv gives an id).

``zoom_water_board.vtt`` quotes two answers from the real Alaska water-service interviews
(Arctic Data Center, doi:10.18739/A26Q1SJ48, cited as CC BY 4.0; see
``shared/bench-data/alaska-water-interviews/SOURCE.md`` beside the repository).
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent
I, C = "interviewer", "customer"
Turns = list[tuple[str, str]]  # (label, text); a text with "\n" is several lines/paragraphs of one turn


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _ms(s: int) -> str:  # Otter: 0:03, 12:45, 1:02:03
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


# ----------------------------------------------------------------------------------- layouts
def zoom_vtt(cues: Turns) -> str:
    """Zoom cloud recording: numbered cues, ``Name: text`` payload; one turn may span several cues."""
    out = ["WEBVTT", ""]
    for n, (label, text) in enumerate(cues, 1):
        t = 3 + n * 4
        lines = text.split("\n")
        out += [str(n), f"{_hms(t)}.120 --> {_hms(t + 4)}.040", f"{label}: {lines[0]}", *lines[1:], ""]
    return "\n".join(out)


def zoom_txt(turns: Turns) -> str:
    """Zoom in-meeting 'Save transcript': ``[Name] 10:01:02`` then the text."""
    out = []
    for n, (label, text) in enumerate(turns):
        out += [f"[{label}] {_hms(36000 + 60 + n * 9)}", text, ""]
    return "\n".join(out)


def teams_vtt(cues: Turns, old: bool = False) -> str:
    """Teams: ``<uuid>/<n>-<k>`` cue ids, ``<v Name>text</v>``; the old export has NOTE lines and no ids."""
    out = ["WEBVTT", ""]
    if old:
        out[1:1] = ['NOTE duration:"00:41:07.2340000"', "", "NOTE language:en-us", ""]
    for n, (label, text) in enumerate(cues):
        t = 2 + n * 5
        if old:
            out += [f"NOTE Confidence: 0.9{n % 10}1234", ""]
            out += [f"{n:08x}-3f1a-4c2e-9b7d-5e0c2a9d{n:04d}", f"{_hms(t)}.210 --> {_hms(t + 5)}.000",
                    f"<v {label}>{text}</v>", ""]
        else:
            out += [f"5c1f7e2a-94d3-4b61-a0f8-3e2d9c7b1a60/{12 + n // 2}-{n % 2}",
                    f"{_hms(t)}.210 --> {_hms(t + 5)}.000", f"<v {label}>{text}</v>", ""]
    return "\n".join(out)


def otter_txt(turns: Turns, blank: bool = False) -> str:
    """Otter.ai: ``Name  0:03`` then the text (optionally after a blank line); the footer names the tool."""
    out = []
    for n, (label, text) in enumerate(turns):
        out += [f"{label}  {_ms(3 + n * 41 + (3700 if blank else 0))}"] + ([""] if blank else []) + [text, ""]
    out += ["", "Transcribed by https://otter.ai", ""]
    return "\n".join(out)


def rev_txt(turns: Turns, hours: bool = True) -> str:
    """Rev: ``Name (00:01:02):`` then the text."""
    out = []
    for n, (label, text) in enumerate(turns):
        t = 1 + n * 23
        out += [f"{label} ({_hms(t) if hours else _hms(t)[3:]}):", text, ""]
    return "\n".join(out)


def descript_txt(turns: Turns) -> str:
    """Descript plain-text export with timecodes: ``[00:01:02] Name: text``."""
    return "\n\n".join(f"[{_hms(5 + n * 17)}] {label}: {text}" for n, (label, text) in enumerate(turns)) + "\n"


def sbv(cues: Turns) -> str:
    """YouTube / Meet captions: ``0:00:01.000,0:00:04.000`` then ``Name: text``."""
    out = []
    for n, (label, text) in enumerate(cues):
        t = 1 + n * 4
        out += [f"{t // 3600}:{_hms(t)[3:]}.000,{(t + 4) // 3600}:{_hms(t + 4)[3:]}.000", f"{label}: {text}", ""]
    return "\n".join(out)


def srt(cues: list[list[tuple[str | None, str]]]) -> str:
    """SRT: each cue holds one or more ``(label, line)``: a label gives ``NAME: line``; two in one cue get ``- `` dashes."""
    out = []
    for n, cue in enumerate(cues, 1):
        t = 2 + n * 3
        dash = "- " if len(cue) > 1 and all(label for label, _ in cue) else ""
        lines = [f"{dash}{label}: {line}" if label else line for label, line in cue]
        out += [str(n), f"{_hms(t)},400 --> {_hms(t + 3)},100", *lines, ""]
    return "\n".join(out)


def plain(turns: Turns, stamp: bool = False, sep: str = "\n") -> str:
    """``Label: text`` (optionally ``[00:01:02] Label: text``); extra lines of a turn follow as they are."""
    out = []
    for n, (label, text) in enumerate(turns):
        out.append((f"[{_hms(62 + n * 31)}] " if stamp else "") + f"{label}: {text}")
    return sep.join(out) + "\n"


def _docx(paragraphs: list[tuple[str, bool]]) -> bytes:
    document = docx.Document()
    for text, bold in paragraphs:
        run = document.add_paragraph().add_run(text)
        run.bold = bold
    document.core_properties.created = __import__("datetime").datetime(2024, 1, 1)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def teams_docx(turns: Turns) -> bytes:
    """New Teams .docx: title, date, then per turn ``Name   0:03`` and the text."""
    paras = [("Design research: expenses app", False), ("March 4, 2025, 2:00PM", False), ("41m 7s", False)]
    for n, (label, text) in enumerate(turns):
        paras += [(f"{label}   {_ms(3 + n * 29)}", False), (text, False)]
    return _docx(paras)


def meet_docx(turns: Turns) -> bytes:
    """Google Meet transcript doc: title, attendees, ``Transcript``, 5-minute timestamps, ``Name: text``."""
    names = ", ".join(dict.fromkeys(label for label, _ in turns))
    paras = [("Volunteer rota check-in (2025-02-11 14:03 GMT) - Transcript", False), ("Attendees", False),
             (names, False), ("Transcript", False), ("00:00:00", False), (" ", False)]
    for n, (label, text) in enumerate(turns):
        if n == len(turns) // 2:
            paras += [("00:05:00", False), (" ", False)]
        paras.append((f"{label}: {text}", False))
    paras.append(("Meeting ended after 00:09:12 👋", False))
    return _docx(paras)


# ----------------------------------------------------------------------------------- conversations
CALL_CHAIR = "Tim Beaufort"
ACD_CALL: Turns = [
    (CALL_CHAIR, "Okay, we should be live on YouTube now."),
    (CALL_CHAIR, "Welcome to the call. First item: devnet 5. Who wants to give an update?"),
    ("jochem-brouwer", "I can start. EthereumJS passes all the new tests as of this morning."),
    ("danceratopz", "Quick note from testing: the fixtures release is out,\nsee https://github.com/example/fixtures/releases for the tarball."),
    ("pk910", "The faucet and the explorer for devnet 5 are up. Note: the faucet limit is 10 ETH per day."),
    (CALL_CHAIR, "Great. Any client still failing?"),
    ("Saulius Grigaitis | Grandine", "Grandine had one failure at slot 3:1 ratio of attestations, fixed yesterday."),
    ("Daniel Lehrner (Besu)", "Besu is syncing fine. We saw a bug at 10:30 UTC but it was our node config."),
    ("CPerezz", "On the verkle side: nothing new this week."),
    ("Łukasz Rozmej", "Nethermind is good. One question: do we fork on Wednesday or Thursday?"),
    (CALL_CHAIR, "Wednesday, unless someone objects?"),
    ("Toni Wahrstätter", "No objection. I posted the analysis in the chat."),
    ("terence.tsao", "Prysm is ready for Wednesday."),
    ("nico_flaig", "Lodestar too. We will cut the release tonight."),
    ("0xkarl", "Small thing: the bootnodes list changed, please pull it again."),
    ("Matt Nelson (he/him)", "Thanks. Can we also talk about the blob count?"),
    ("Marek Moraczyński", "We can, we measured 6 blobs per block without trouble."),
    ("Hsiao-Wei Wang", "The spec PR for that is merged."),
    ("Ahmad Bitar | Nethermind", "Agreed on 6. Going to 9 needs more data."),
    ("Enrico Del Fante (tbenr)", "Teku agrees, 6 for now."),
    ("Barnabás Busa", "I will run the big devnet with 9 anyway and share numbers."),
    ("Guillaume", "Fine by me."),
    ("Call-in User_3", "Sorry, I was muted. Fine by me too."),
    ("Tim's iPad", "Same."),
    ("+1 415***0172", "Joining by phone: Wednesday works for the Geth team."),
    ("stokes", "Then we are done: Wednesday fork, 6 blobs. Anything else?"),
    (CALL_CHAIR, "Nothing else from me. Thanks everyone, see you in two weeks."),
]
DEV_CALL: Turns = [
    ("Ana Lima", "Hi all, let's begin. Updates first."),
    ("dev_guy99", "I shipped the cache fix. Latency is down 40%."),
    ("a.b.c", "Docs are updated: see the new page on auth."),
    ("x-ray-7", "I'm still blocked on the CI runner."),
    ("Ana Lima", "What is blocking it?"),
    ("x-ray-7", "The runner image is too old.\nUpdate: I opened a ticket this morning."),
    ("Mei 🐙", "I can help with the image after lunch."),
    ("Óscar Peña", "Release is planned for Friday at 16:00."),
    ("Ravi K. (Infra)", "Infra is fine with Friday."),
    ("Zainab | QA", "QA needs one more day: Thursday is too tight."),
    ("Иван Петров", "Then Monday? I am fine with Monday."),
    ("佐藤", "Monday works for me."),
    ("Ana Lima", "Monday it is. Thanks all."),
]
TEAMS_RESEARCH: Turns = [
    ("Adaeze Okonkwo", "Thanks for joining. Can you tell me how you submit expenses today?"),
    ("Adaeze Okonkwo", "Just walk me through the last time."),
    ("José María Núñez", "Sure. Last week I had a taxi receipt.\nI took a photo, but the app said the file was too large."),
    ("Adaeze Okonkwo", "What did you do then?"),
    ("José María Núñez", "I emailed it to finance. It took them two weeks to pay me back."),
    ("José María Núñez", "Honestly: that's the part that annoys me."),
    ("Adaeze Okonkwo", "How often does that happen?"),
    ("José María Núñez", "Maybe once a month."),
]
TEAMS_OLD: Turns = [
    ("Hannah Becker", "Shall we start? How do you book a desk in the office?"),
    ("Gülşen Yıldız", "Through the intranet page, on Sunday evening, because Monday morning everything is gone."),
    ("Hannah Becker", "Why Sunday?"),
    ("Gülşen Yıldız", "The booking opens a week ahead at 00:00. Ratio is like 3:1 people to desks."),
    ("Hannah Becker", "Has it ever gone wrong?"),
    ("Gülşen Yıldız", "Yes: last month my booking disappeared and I sat in the kitchen."),
]
TEAMS_DOCX: Turns = [
    ("Hannah Becker", "Let's start with the expenses app. When did you last use it?"),
    ("Mohammed Al-Farsi", "Yesterday, for a hotel bill from the Lisbon trip."),
    ("Hannah Becker", "How did that go?"),
    ("Mohammed Al-Farsi", "Badly. The currency was wrong: it took euros as pounds."),
    ("Hannah Becker", "Did you fix it?"),
    ("Mohammed Al-Farsi", "I had to cancel the claim and start again."),
]
OTTER_COMMUTE: Turns = [
    ("Speaker 1", "Thanks for talking to me. How do you get to work?"),
    ("Speaker 2", "By tram, mostly. I buy the ticket in the app."),
    ("Speaker 1", "Tell me about the last time that went wrong."),
    ("Speaker 2", "On Monday the app froze at the gate.\nProblem: the app crashed twice and the inspector did not care."),
    ("Speaker 1", "What happened next?"),
    ("Speaker 2", "I paid a fine of 60 euros.\nBottom line: I am still waiting for the refund.\nVerdict: never again."),
]
OTTER_FOLLOWUP: Turns = [
    ("Mira Haddad", "Welcome back. Since our last talk, did the bank fix the statements?"),
    ("Ngozi Eze", "Partly. The PDF statements come now, but a week late."),
    ("Mira Haddad", "Does that matter for you?"),
    ("Ngozi Eze", "Yes, my accountant needs them by the 5th."),
]
REV_BANKING: Turns = [
    ("Interviewer", "Tell me about the last time you moved money between accounts."),
    ("Ngozi Eze", "This morning. The transfer said pending until 10:30, then it failed."),
    ("Interviewer", "What did the app tell you?"),
    ("Ngozi Eze", "Error: something went wrong. That was all it said."),
    ("Interviewer", "And then?"),
    ("Ngozi Eze", "I called the branch. They said the limit is 2,000 a day, nobody had told me."),
]
REV_GROUP: Turns = [
    ("Speaker 1", "Thanks both for coming. What do you use to plan meals?"),
    ("Speaker 2", "Paper lists, honestly."),
    ("Speaker 3", "I use an app, but it forgets what is in my fridge."),
    ("Speaker 1", "Why paper?"),
    ("Speaker 2", "Because the app needs an account and I never remember the password."),
    ("Speaker 1", "And what would help you?"),
    ("Speaker 3", "Scanning receipts so the app knows what I bought."),
]
DESCRIPT: Turns = [
    ("Leila Moradi", "Welcome. How do you choose a podcast to listen to?"),
    ("Kwame Mensah", "Friends send me links. I listen on the way to the gym."),
    ("Leila Moradi", "What annoys you about the app?"),
    ("Kwame Mensah", "Downloads vanish. Twice this week the episode was gone when I was offline."),
]
MEET_SBV: Turns = [
    ("Chidera Nwosu", "Can you hear me? Let's talk about the parking app."),
    ("Chidera Nwosu", "How do you pay for parking today?"),
    ("Rasmus Ødegård", "With the app, but the zone code on the sign is worn out."),
    ("Chidera Nwosu", "What do you do then?"),
    ("Rasmus Ødegård", "I guess the zone. Once I guessed wrong and got a ticket."),
]
MEET_DOCX: Turns = [
    ("Facilitator", "Thanks for joining. How do you sign up for volunteer shifts?"),
    ("Ana Lima", "On the shared spreadsheet. People overwrite each other."),
    ("Bruno Costa", "And the sheet does not show who changed what."),
    ("Facilitator", "Has that caused problems?"),
    ("Ana Lima", "Two of us turned up for the same shift on Saturday."),
    ("Bruno Costa", "And nobody came on Sunday."),
]
SRT_CAPS: list[list[tuple[str | None, str]]] = [
    [("INTERVIEWER", "How long have you lived here?")],
    [("MARIA", "Twelve years. Since the flats were built.")],
    [("INTERVIEWER", "Did the heating ever fail?"), ("MARIA", "Every winter.")],
    [(None, "Last January for nine days.")],
    [("INTERVIEWER", "What did the landlord do?")],
    [("MARIA", "Nothing until we wrote to the council.")],
]
QA: Turns = [
    ("Q", "How do you track your running?"),
    ("A", "With my watch and the app on my phone.\nNote: I only run outside, never on a treadmill."),
    ("Q", "What goes wrong?"),
    ("A", "The sync. The watch says 10 km, the app says 8.\nI reported it at https://support.example.com/ticket/4411 but nobody answered."),
    ("Q", "Anything else?"),
    ("A", "The battery dies after 3:30 hours, so long runs are not recorded."),
]
AI_INTERVIEWS: list[Turns] = [
    [
        ("Assistant", "Hi! Thanks for taking part. Question 1: how do you usually pay your rent?"),
        ("User", "By bank transfer on the 1st.\n\nSometimes the landlord's account changes and nobody tells me."),
        ("Assistant", "That sounds frustrating. What happened the last time?"),
        ("User", "The payment bounced.\nProblem: the bank charged me a fee of 25 pounds for it."),
        ("Assistant", "Thank you. Is there anything else you'd like to add?"),
        ("User", "No, that's all.\nOverall: I would give the app 3 out of 10."),
    ],
    [
        ("Assistant", "Hello! Question 1: how do you usually pay your rent?"),
        ("User", "Standing order. It just works, I never think about it."),
        ("Assistant", "Has anything ever gone wrong?"),
        ("User", "Once, when the rent went up: I forgot to change the order\nand got a late notice."),
    ],
    [
        ("Assistant", "Hi there! How do you usually pay your rent?"),
        ("User", "Cash, to the caretaker."),
        ("Assistant", "How do you keep track of payments?"),
        ("User", "I don't.\n\nStep 1: I pay. Step 2: I hope he writes it down.\n\nLast year he said I was two months behind, I wasn't."),
    ],
    [
        ("Assistant", "Hi! What matters most to you in a rent payment app?"),
        ("User", "Three things.\n\nSpeed: it has to open fast.\n\nReminders: two days before the due date."),
        ("Assistant", "Which of those is missing today?"),
        ("User", "Both, really:\n- Speed: the portal takes a minute to load.\n- Reminders: none at all.\n* Receipts: by post, weeks later."),
    ],
]
GENERIC: Turns = [
    ("Speaker 2", "Okay, recording. So how do you pick a gym?"),
    ("Speaker 1", "Location first. It has to be near the office."),
    ("Speaker 2", "And how did you sign up?"),
    ("Speaker 1", "Online. The form asked for my card twice and charged me twice.\nFeedback: the form never said why.\nCustomer Service: they said to wait five days."),
    ("Speaker 2", "Did you get the money back?"),
    ("Speaker 1", "After three emails, yes."),
]
MODERATOR_P3: Turns = [
    ("Moderator", "P3, thanks for joining. Could you open the prototype and find the order history?"),
    ("P3", "Okay. I'd look under the profile icon.\nHmm, no. It's not there."),
    ("Moderator", "Where would you expect it?"),
    ("P3", "Under Orders: that's where every other shop has it."),
    ("Moderator", "Thanks. Last task: cancel the order."),
    ("P3", "I can't find a cancel button at all."),
]
GROUP_TWO: Turns = [
    ("Interviewer 1", "Welcome everyone. Let's go round: how do you get your groceries?"),
    ("Ama Owusu", "I order online on Sunday nights."),
    ("Bongani Dlamini", "Market on Saturday, supermarket for the rest."),
    ("陈静", "Delivery apps, because I don't have a car."),
    ("🎧 Lior", "Mostly click and collect."),
    ("Hiroshi", "Same here, the app never asks me first."),
    ("Interviewer 2", "Ama, what goes wrong with online orders?"),
    ("Ama Owusu", "Substitutions. I asked for oat milk and got cream."),
    ("Interviewer 1", "Does anyone else see that?"),
    ("陈静", "Yes, every week something is swapped."),
    ("🎧 Lior", "Collection slots are the problem for me: the 17:00 slot is always gone."),
    ("Interviewer 2", "Thank you all."),
]
BRACKETED: Turns = [
    ("Interviewer", "Let's start. How do you send money home?"),
    ("José María Núñez", "Through an app. The fee changes every time."),
    ("Interviewer", "Which app?"),
    ("José María Núñez", "Remitly mostly. Western Union when my mother needs cash."),
    ("Interviewer", "What is the worst part?"),
    ("José María Núñez", "The exchange rate: they show one rate and apply another."),
]
SCRIPTS: Turns = [
    ("Research Team", "Welcome, all. How do you learn about community events?"),
    ("王芳", "From the WeChat group of our building."),
    ("Дмитрий Соколов", "Posters at the metro. Often after the event."),
    ("فاطمة الزهراء", "From my children's school newsletter."),
    ("Zoë O'Brien-Smith", "Facebook, sadly. Half of it is ads."),
    ("J.R. Martínez", "Word of mouth."),
    ("Research Team", "What would make it easier?"),
    ("王芳", "One calendar for the whole district."),
    ("Zoë O'Brien-Smith", "Yes: a calendar I can subscribe to."),
]
ZOOM_INTERVIEW: Turns = [
    ("Mira Haddad (she/her)", "Hi Pedro, thanks for joining. How do you water the community garden?"),
    ("Pedro Álvarez-Ruiz", "With the hose from the school tap.\nWhen the school is closed we carry buckets."),
    ("Mira Haddad (she/her)", "How often is it closed?"),
    ("Pedro Álvarez-Ruiz", "Every holiday. In August we carried\nWorst case: 40 buckets a day."),
    ("Mira Haddad (she/her)", "What would help?"),
    ("Pedro Álvarez-Ruiz", "A rain barrel. We asked the council in May: still no answer."),
]
# Two answers quoted from the real Alaska interviews (CC BY 4.0, doi:10.18739/A26Q1SJ48), in a Zoom call layout.
WATER_BOARD: Turns = [
    ("Kelsey Morgan (UAF)", "How is the water service in the winter?"),
    ("Elder Resident", "Middle of where. Freezing. I was not a happy man."),
    ("Kelsey Morgan (UAF)", "What happened?"),
    ("Elder Resident", "My wife was just getting in the shower and also no water."),
]

# ------------------------------------------------------------------ harder layouts researchers type by hand
HEADER_NOTES = ("Interview 7: ticket refunds\nDate: 12 March 2025\nLocation: Zoom\nDuration: 45:12\n"
                "Participants: KO (researcher), JM (participant)\n\n")
INITIALS: Turns = [
    ("KO", "Thanks for your time. When did you last ask for a refund?"),
    ("JM", "In February, for a cancelled train.\nReason: the strike on the 14th."),
    ("KO", "How did you ask for it?"),
    ("JM", "The web form. It timed out at step 3 of 4."),
    ("KO", "And then?"),
    ("JM", "I gave up. 19 euros is not worth an afternoon."),
]
ROLE_IN_PARENS: Turns = [
    ("Sam (Interviewer)", "Could you describe how you book a vet appointment?"),
    ("Dolores (cat owner)", "I call at 8:00 sharp, otherwise there are no slots."),
    ("Sam (Interviewer)", "Have you tried the online booking?"),
    ("Dolores (cat owner)", "Yes: it only shows the next day, never the same day."),
]
SPACED_COLON: Turns = [
    ("Enquêtrice", "Bonjour. Comment payez-vous la cantine ?"),
    ("Élodie Fontaine", "Sur le portail de la mairie : il faut un code chaque mois."),
    ("Enquêtrice", "Et ça marche ?"),
    ("Élodie Fontaine", "Pas toujours. En mars le site était en panne pendant une semaine."),
]
CJK_FULLWIDTH: Turns = [
    ("访谈员", "您平时怎么缴水电费？"),
    ("刘洋", "用支付宝。但是上个月扣了两次。"),
    ("访谈员", "后来怎么解决的？"),
    ("刘洋", "打了三次客服电话才退款。"),
]
HUMAN_AI: Turns = [
    ("AI", "Thanks for joining this interview. How do you usually book train tickets?"),
    ("Human", "On the operator's website, on my laptop."),
    ("AI", "What is the hardest part?"),
    ("Human", "Seat reservations. It says: seat 42 reserved, and then the seat does not exist."),
]
CALL_PLAIN: Turns = [
    ("lightclient", "ok let's start, agenda is in the issue"),
    ("Daniel Lehrner (Besu)", "Besu: all green on devnet 5."),
    ("Saulius Grigaitis | Grandine", "Grandine also green."),
    ("pk910", "explorer is back up."),
    ("jochem-brouwer", "EthereumJS: one failing test, fix in review."),
    ("danceratopz", "new fixtures tomorrow"),
    ("CPerezz", "nothing from me"),
    ("lightclient", "anyone against forking next week?"),
    ("Łukasz Rozmej", "No."),
    ("potuz", "fine"),
    ("ethDreamer", "fine for Prysm"),
    ("Gajinder", "Lodestar ok"),
    ("@maria.dev", "docs PR is up"),
    ("lightclient", "done then, thanks"),
]
VOICE_CLASSES = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v.host Becker, Hannah>Hi, thanks for joining. How do you "
                 "track your hours?</v>\n\n00:00:04.500 --> 00:00:09.000\n<v Nkechi Obi (External)>In a notebook. Then I "
                 "type it in on Fridays.\n\n00:00:09.500 --> 00:00:12.000\n<v.host Becker, Hannah>Why on Fridays?</v>\n\n"
                 "00:00:12.500 --> 00:00:16.000\n<v Nkechi Obi (External)>Because the timesheet tool logs me out every 10 minutes.</v>\n")
VOICE_TURNS: Turns = [
    ("Becker, Hannah", "Hi, thanks for joining. How do you track your hours?"),
    ("Nkechi Obi (External)", "In a notebook. Then I type it in on Fridays."),
    ("Becker, Hannah", "Why on Fridays?"),
    ("Nkechi Obi (External)", "Because the timesheet tool logs me out every 10 minutes."),
]
CAPTION_CHEVRONS = ("1\n00:00:01,000 --> 00:00:03,500\n>> REPORTER: How did the flood affect the shop?\n\n"
                    "2\n00:00:03,600 --> 00:00:07,000\n>> OWNER: We lost all the stock.\nInsurance paid half.\n\n"
                    "3\n00:00:07,100 --> 00:00:09,000\n>> REPORTER: Will you reopen?\n\n"
                    "4\n00:00:09,100 --> 00:00:12,000\n>> OWNER: In June, if the bank agrees.\n")
CHEVRON_TURNS: Turns = [
    ("REPORTER", "How did the flood affect the shop?"), ("OWNER", "We lost all the stock.\nInsurance paid half."),
    ("REPORTER", "Will you reopen?"), ("OWNER", "In June, if the bank agrees."),
]

IR_LABELS: Turns = [
    ("I", "Could you tell me how you heat your home?"),
    ("R", "Wood stove, and an oil heater when it is very cold."),
    ("I", "How do you get the oil?"),
    ("R", "The truck comes once a month. In January it did not come for three weeks."),
    ("I", "What did you do?"),
    ("R", "We borrowed from the neighbours."),
]
PROMPTS: Turns = [
    ("Jonas Berg", "Thanks for making time today. Let's begin with your morning routine. Walk me through it."),
    ("Fatima Zahra Bennani", "What do you mean, the whole morning? Or only the commute?"),
    ("Jonas Berg", "Start from when you leave the house."),
    ("Fatima Zahra Bennani", "Okay. I take the bus at 7:40. Do you want the line number? It is the 12."),
    ("Jonas Berg", "Tell me about the last time the bus was late."),
    ("Fatima Zahra Bennani", "Yesterday. The app said 2 minutes for 20 minutes."),
]

AI_DATED: Turns = [
    ("Assistant", "Hi! This interview is about paying rent. How do you pay yours?"),
    ("User", "Through the landlord's portal."),
    ("Assistant", "How has that worked for you?"),
    ("User", "The portal logs me out before I finish.\nFollow-up: I emailed them twice, no reply."),
]
OTTER_NO_TIMES: Turns = [
    ("Yuki Tanaka", "Thanks for joining. How do you choose a phone plan?"),
    ("Beatriz Souza", "Price first. Then whether my bank app works on the network abroad."),
    ("Yuki Tanaka", "Did that ever fail?"),
    ("Beatriz Souza", "In Spain, yes. No signal for the bank codes.\nI could not pay the hotel."),
]
TABBED: Turns = [
    ("Interviewer", "How do you keep your medication on schedule?"),
    ("Respondent", "A pill box and an alarm on my phone."),
    ("Interviewer", "Does it work?"),
    ("Respondent", "Mostly. The alarm is silent when the phone is on do-not-disturb."),
]


def build() -> tuple[dict[str, str | bytes], dict[str, dict]]:
    """Return the files (relative path -> content) and the expected reading of each."""
    files: dict[str, str | bytes] = {}
    expected: dict[str, dict] = {}

    def add(name: str, content: str | bytes, fmt: str, turns: Turns, staff: set[str], people: dict[str, str] | None = None) -> None:
        path = f"transcripts/{name}"
        files[path] = content
        merged: list[list[str]] = []
        for label, text in turns:
            text = " ".join(text.split())
            if merged and merged[-1][0] == label:
                merged[-1][2] += " " + text
            else:
                merged.append([label, I if label in staff else C, text])
        persons = {lab: (people or {}).get(lab, f"{path}:{lab}") for lab, role, _ in merged if role == C}
        expected[path] = {"format": fmt, "turns": merged, "people": persons}

    add("zoom_acd_call.vtt", zoom_vtt(ACD_CALL), "vtt (Zoom)", ACD_CALL, set())
    add("zoom_dev_call.txt", zoom_txt(DEV_CALL), "txt (Zoom)", DEV_CALL, set())
    add("zoom_garden.vtt", zoom_vtt(ZOOM_INTERVIEW), "vtt (Zoom)", ZOOM_INTERVIEW, {"Mira Haddad (she/her)"})
    add("zoom_water_board.vtt", zoom_vtt(WATER_BOARD), "vtt (Zoom)", WATER_BOARD, {"Kelsey Morgan (UAF)"})
    add("teams_expenses.vtt", teams_vtt(TEAMS_RESEARCH), "vtt (Microsoft Teams)", TEAMS_RESEARCH, {"Adaeze Okonkwo"})
    add("teams_desks_old.vtt", teams_vtt(TEAMS_OLD, old=True), "vtt (Microsoft Teams)", TEAMS_OLD, {"Hannah Becker"})
    add("teams_expenses.docx", teams_docx(TEAMS_DOCX), "docx (Microsoft Teams)", TEAMS_DOCX, {"Hannah Becker"})
    add("otter_commute.txt", otter_txt(OTTER_COMMUTE), "txt (Otter.ai)", OTTER_COMMUTE, {"Speaker 1"})
    add("otter_bank_followup.txt", otter_txt(OTTER_FOLLOWUP, blank=True), "txt (Otter.ai)", OTTER_FOLLOWUP,
        {"Mira Haddad"}, {"Ngozi Eze": "P41"})
    add("rev_banking.txt", rev_txt(REV_BANKING), "txt (Rev)", REV_BANKING, {"Interviewer"}, {"Ngozi Eze": "P41"})
    add("rev_meals.txt", rev_txt(REV_GROUP, hours=False), "txt (Rev)", REV_GROUP, {"Speaker 1"})
    add("descript_podcasts.txt", descript_txt(DESCRIPT), "txt (Descript)", DESCRIPT, {"Leila Moradi"})
    add("meet_parking.sbv", sbv(MEET_SBV), "sbv (YouTube / Google Meet captions)", MEET_SBV, {"Chidera Nwosu"})
    add("meet_volunteers.docx", meet_docx(MEET_DOCX), "docx (Google Meet)", MEET_DOCX, {"Facilitator"})
    # the cue without a label continues MARIA's turn of the cue above
    srt_turns = [(label or "MARIA", line) for cue in SRT_CAPS for label, line in cue]
    add("heating_captions.srt", srt(SRT_CAPS), "srt", srt_turns, {"INTERVIEWER"})
    add("running_qa.txt", plain(QA), "txt", QA, {"Q"})
    for n, turns in enumerate(AI_INTERVIEWS, 1):
        add(f"ai_rent_{n:02d}.txt", plain(turns, sep="\n\n"), "txt", turns, {"Assistant"})
    add("gym_generic.txt", plain(GENERIC), "txt", GENERIC, {"Speaker 2"})
    add("usability_p3.txt", plain(MODERATOR_P3), "txt", MODERATOR_P3, {"Moderator"})
    add("group_groceries.txt", plain(GROUP_TWO), "txt", GROUP_TWO, {"Interviewer 1", "Interviewer 2"})
    add("remittance_stamped.txt", plain(BRACKETED, stamp=True), "txt (Descript)", BRACKETED, {"Interviewer"})
    add("events_scripts.txt", plain(SCRIPTS, sep="\n\n"), "txt", SCRIPTS, {"Research Team"})
    add("refund_initials.txt", HEADER_NOTES + plain(INITIALS, sep="\n\n"), "txt", INITIALS, {"KO"})
    add("vet_roles_in_parens.txt", plain(ROLE_IN_PARENS), "txt", ROLE_IN_PARENS, {"Sam (Interviewer)"})
    add("cantine_fr.txt", plain(SPACED_COLON).replace(": ", " : ", 0) .replace("Enquêtrice:", "Enquêtrice :")
        .replace("Élodie Fontaine:", "Élodie Fontaine :"), "txt", SPACED_COLON, {"Enquêtrice"})
    add("utilities_zh.txt", plain(CJK_FULLWIDTH).replace("访谈员: ", "访谈员：").replace("刘洋: ", "刘洋："), "txt",
        CJK_FULLWIDTH, {"访谈员"})
    add("ai_trains_human.txt", plain(HUMAN_AI, sep="\n\n"), "txt", HUMAN_AI, {"AI"})
    add("call_notes_plain.txt", plain(CALL_PLAIN), "txt", CALL_PLAIN, set())
    add("teams_hours_classes.vtt", VOICE_CLASSES, "vtt (Microsoft Teams)", VOICE_TURNS, {"Becker, Hannah"})
    add("flood_chevrons.srt", CAPTION_CHEVRONS, "srt", CHEVRON_TURNS, {"REPORTER"})
    add("heating_ir.txt", plain(IR_LABELS), "txt", IR_LABELS, {"I"})
    add("commute_prompts.txt", plain(PROMPTS, sep="\n\n"), "txt", PROMPTS, {"Jonas Berg"})
    dated = "\n".join(f"[2025-03-0{1 + n // 3} 1{n}:0{n}:1{n}] {label}: {text}" for n, (label, text) in enumerate(AI_DATED))
    add("ai_rent_dated.txt", dated + "\n", "txt", AI_DATED, {"Assistant"})
    no_times = "\n\n".join(f"{label}\n{text}" for label, text in OTTER_NO_TIMES) + "\n\n\nTranscribed by https://otter.ai\n"
    add("otter_phone_no_times.txt", no_times, "txt (Otter.ai)", OTTER_NO_TIMES, {"Yuki Tanaka"})
    add("meds_tabbed.txt", "".join(f"{label}\t{text}\n" for label, text in TABBED), "txt", TABBED, {"Interviewer"})
    files["study.toml"] = ('# Held-out corpus: the study team, nothing else.\n[study]\nname = "Held-out transcripts"\n\n'
                           '[ingest]\ninterviewer_names = ["Adaeze Okonkwo", "Hannah Becker", "Mira Haddad"]\n')
    files["participants.csv"] = "participant_id,name,interview_file,speaker\nP41,Ngozi Eze,,\n"
    return files, expected


def main() -> None:
    """Write the corpus next to this script."""
    files, expected = build()
    for relative, content in files.items():
        path = HERE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    (HERE / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
