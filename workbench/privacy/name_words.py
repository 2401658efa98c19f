"""The word lists the name recogniser decides with: words that are also names, words that never are.

Lower-case; compared with ``str.casefold()``. A study adds its own through
``RedactionConfig.common_words`` and ``keep_words``.
"""
from __future__ import annotations

__all__ = [
    "TITLES",
    "NEVER_NAME_WORDS",
    "DEFAULT_COMMON_WORDS",
    "NOT_AFTER_NAME",
    "PARTICLES",
    "TITLE_STOP",
]

# Words that are also first/last names ("Grace", "Will", "Miles") or that follow the
# contextual cues without being names ("I'm Really", "Dear Customer", "Thanks, Skylark").
# Lower-case; compared with str.casefold().
_NAME_LIKE_WORDS = """
will may bill grace sky skye rose mark hope joy faith summer art pat sue frank jack miles
gold silver rich dawn amber ruby crystal april june august autumn holly ivy iris daisy lily
jasmine heather violet hazel pearl jade candy cherry honey sunny storm rain river brook brooks
forest stone wood woods hill hall field fields bush king queen prince duke earl baron knight
bishop cook baker butler carter fisher hunter mason miller porter shepherd smith long young
white black brown green gray grey little price cash sterling lane street north west east south
major chase page case ward bell day new best good love sweet early lucky dash fox wolf swift
lamb bird crane drake finch guy ray don dean gene penny bob nick rob drew carol chuck dick
harry jay kit max mike norm randy rusty sandy skip ted eve charity constance patience prudence
mercy honor honour trinity destiny harmony melody serenity unity liberty precious angel baby
star sunshine bliss blossom dove robin wren lark raven sparrow rowan ash aspen willow
cedar sage basil rosemary ginger olive clementine poppy primrose fern flora ebony onyx opal gem
diamond misty cloud snow frost winter spring march chance marshall sergeant deacon parker park
cliff dale glen heath moss reed bay beach coral marina sol ocean bear buck colt hawk lion tiger
bunny kitty happy merry noble royal princess duchess countess pope abbott friar monk cooper
fletcher turner walker weaver thatcher archer gardner gardener fuller tanner potter slater
sawyer wright carpenter painter singer dancer player ranger rider driver banks bank money cost
worth hardy strong power powers light bright sharp keen quick speed rush short small large law
rule church temple chapel castle tower house court road way ford bridge bridges waters water
rivers lake pool poole wells marsh moore more most vale holt grove leaf root branch bloom
flowers berry apple peach plum pepper salt rice bean bacon ham bass pike trout salmon herring
fish crow swan duck gull heron falcon eagle nightingale partridge peacock rook starling
""".split()

_COMMON_WORDS = """
a an the and or but if so as at by for from in into of off on onto out over to up with
without within about above after again against all also am are aren't be been before being
below between both can can't cannot could couldn't did didn't do does doesn't doing don't
down during each few further had hadn't has hasn't have haven't having he he'd he'll he's her
here here's hers herself him himself his how how's i i'd i'll i'm i've is isn't it it's its
itself let's me mine my myself no nor not now only other ought our ours ourselves own same
shan't she she'd she'll she's should shouldn't some such than that that's their theirs them
themselves then there there's these they they'd they'll they're they've this those through
too under until very was wasn't we we'd we'll we're we've were weren't what what's when
when's where where's which while who who's whom why why's won't would wouldn't you you'd
you'll you're you've your yours yourself yourselves yes yeah yep nope ok okay hi hello hey
dear thanks thank cheers regards kind warm warmest sincerely yours truly respectfully
really actually just still already always never ever sure glad sorry happy sad upset angry
annoyed frustrated furious disappointed confused tired fine great good bad awful terrible
calling writing emailing ringing phoning contacting trying looking hoping waiting going getting
booked booking flying travelling traveling staying back home away today tomorrow yesterday
morning afternoon evening night week month year weekend monday tuesday wednesday thursday
friday saturday sunday january february july september october november december
sir sirs madam madams madame mam ma'am miss whom concern mister customer customers client clients guest guests
passenger passengers traveller travellers traveler travelers member members team staff
support service services care help desk helpdesk agent agents manager managers supervisor
supervisors advisor adviser adviserss representative representatives rep reps operator
operators colleague colleagues someone somebody anyone anybody everyone everybody nobody
person people guy guys lady ladies gentleman gentlemen man men woman women girl boy friend
friends family all everybody folks valued hiring sales billing accounts account complaints
refunds refund payments payment bookings reservations reservation customer-service
company airline airlines hotel hotels app website web site online chat email mail phone
call centre center office travel travels flight flights airport lounge gate terminal
trip holiday holidays vacation miles points loyalty tier platinum premium elite status
card visa mastercard amex paypal apple google android iphone facebook twitter instagram
whatsapp skylark uk us usa eu english british american french german spanish italian irish
unfortunately however anyway also again please another other someone's not-so just
no-one totally completely absolutely definitely certainly probably maybe perhaps honestly
literally basically seriously quite rather pretty fairly extremely super so-called
new old first second third last next final only main one two three four five six seven
eight nine ten hundred thousand once twice both either neither every each
""".split()

#: titles before a name ("Mrs", "Dr"): left out of a known name, a cue for an unknown one
TITLES = frozenset("mr mrs ms miss mx dr prof sir dame madame mme herr frau señor señora sr sra".split())

#: words never taken as an unknown name after a cue ("I'm Really", "Dear Customer",
#: "Thanks, Skylark"); case-insensitive
NEVER_NAME_WORDS: frozenset[str] = frozenset(w.casefold() for w in _COMMON_WORDS) | TITLES

#: words that are also names: a known name among them ("Grace", "Will") is only
#: redacted when capitalised and not reading as a sentence-initial verb ("Will I …")
DEFAULT_COMMON_WORDS: frozenset[str] = frozenset(w.casefold() for w in _NAME_LIKE_WORDS) | NEVER_NAME_WORDS

#: words after an ambiguous capitalised name at the start of a sentence that show it is
#: a verb/noun there ("Will I get a refund?", "May we ask", "Mark my words")
NOT_AFTER_NAME = frozenset(
    """i you we they he she it this that there these those the a an my your our their his
    her its me us them him someone somebody anyone anybody everyone be not have also still
    so just please i'm i'd i'll you're we're they're it's""".split()
)

#: lower-case particles inside a name ("Ana de Souza", "Ludwig van Beethoven")
PARTICLES = frozenset("de da del della van von der den di du la le al bin ibn dos das ter".split())

#: never a surname after a title, although a few common words are ("Mr Best", "Dr Good")
TITLE_STOP = frozenset(
    """the a an i and or but it this that you we they customer customers client passenger traveller
    traveler member team staff support service services agent manager supervisor representative
    operator colleague someone somebody nobody whoever""".split()
)
