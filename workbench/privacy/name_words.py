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
    "MONTHS",
    "BRAND_WORDS",
    "PERSON_NOUNS",
    "PERSON_VERBS",
    "SPEECH_VERBS",
    "PLACE_PREPOSITIONS",
    "TRAVEL_WORDS",
    "PLACE_NOUNS",
    "PLACE_PREFIXES",
    "DETERMINERS",
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

# Interjections, and greetings, thanks and sign-offs in other languages: at the start of a line
# they look like a signature ("Merci,"), and some are also names somewhere ("Bonjour", "Oh")
_GREETINGS = """
oh ah aah um umm uh er erm hmm mm wow yay ugh ooh aw aww yikes phew gosh oops alright blimey jeez
bonjour bonsoir salut merci cordialement bisous bises hola buenos buenas gracias saludos adios adiós
ciao salve grazie buongiorno buonasera arrivederci hallo moin servus danke tschüss tschuss grüße gruesse
hoi dag doei groetjes bedankt olá ola obrigado obrigada tchau hej hejsa tack tak cześć czesc dziękuję
dziekuje namaste salaam salam shalom asante jambo sawubona ngiyabonga mhoro ndatenda konnichiwa arigato
sayonara xin chào cảm ơn habibi inshallah alhamdulillah mashallah
""".split()

#: titles before a name ("Mrs", "Dr"): left out of a known name, a cue for an unknown one
TITLES = frozenset(
    """mr mrs ms miss mx dr prof sir dame madame mme herr frau señor señora sr sra signora signor signore
    senhor senhora monsieur mademoiselle mlle mevrouw meneer mevr dhr pani""".split()
)

#: words never taken as an unknown name after a cue ("I'm Really", "Dear Customer",
#: "Thanks, Skylark"); case-insensitive
NEVER_NAME_WORDS: frozenset[str] = frozenset(w.casefold() for w in _COMMON_WORDS + _GREETINGS) | TITLES

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

# --------------------------------------------------------------------- names with no cue
#: months: "May", "June" … are only names with a person's context, never next to a date word
MONTHS = frozenset("january february march april may june july august september october november december".split())

#: brands and products that are also first names in some country ("Alexa", "Mercedes", "Visa"):
#: never a name without a cue; a study adds its own in ``keep_words``
BRAND_WORDS = frozenset(
    """alexa siri cortana mercedes tesla ford chevrolet dodge jaguar porsche ferrari lamborghini kia
    chanel dior zara gucci prada hermes disney marriott hilton hyatt sheraton ritz emirates etihad delta alaska
    virgin ryanair easyjet expedia trivago kayak skyscanner airbnb uber lyft bolt revolut monzo klarna
    santander barclays lloyds halifax nationwide chase wells citi visa mastercard amex maestro paypal apple
    google samsung nokia sony dell lenovo oracle adobe zoom slack outlook gmail yahoo bing tesco asda aldi
    lidl morrisons sainsbury walmart target costco ikea primark boots argos currys ocado deliveroo amazon
    netflix spotify whatsapp instagram facebook twitter tiktok linkedin skype teams android iphone ipad
    windows mac corona heineken guinness lufthansa qantas iberia vueling wizz jet2 tui erasmus""".split()
)

#: person nouns before a name: "my partner Anouk", "agent Sipho"
PERSON_NOUNS = frozenset(
    """partner wife husband son daughter mum mom mother dad father brother sister friend colleague boss
    manager agent neighbour neighbor cousin aunt auntie uncle grandma grandpa granny nan nana grandad grandfather
    grandmother girlfriend boyfriend fiancé fiancée fiance fiancee child kid baby teammate flatmate roommate
    housemate mate buddy pal assistant driver guide host hostess steward stewardess officer clerk receptionist
    rep representative advisor adviser supervisor called named nephew niece stepson stepdaughter stepmum
    stepdad spouse carer caregiver nanny tutor teacher doctor nurse pilot captain lady gentleman guy colleagues
    coworker co-worker lead owner landlord landlady concierge attendant operator technician engineer""".split()
)

#: verbs right after a name that show a person: "Tendai said", "Anouk rang"
PERSON_VERBS = frozenset(
    """said says told tells asked asks explained explains replied replies promised promises called calls rang
    rings phoned phones emailed emails texted texts messaged messages wrote writes helped helps booked books
    paid pays sorted sorts suggested suggests recommended recommends insisted insists refused refuses offered
    offers apologised apologized apologises apologizes laughed laughs shouted shouts agreed agrees confirmed
    confirms answered answers mentioned mentions warned warns thinks thought reckons reckoned knows knew wants
    wanted tried tries managed manages decided decides picked picks drove drives flew flies travelled traveled
    travels works worked lives lived loves loved hates hated likes liked felt feels saw sees met meets handled
    handles dealt deals checked checks upgraded upgrades cancelled canceled cancels rebooked rebooks processed
    processes transferred transfers escalated escalates sent sends gave gives took takes made makes came comes
    went goes got gets left leaves arrived arrives waited waits complained complains noticed notices forgot
    forgets remembered remembers realised realized realises realizes admitted admits argued argues whispered
    smiled smiles sighed sighs shrugged nodded joined joins stayed stays spoke speaks talked talks looked looks
    found finds hung hangs put puts ran runs sat sits stood stands walked walks""".split()
)

#: verbs after a name that only a person does (speaks, writes, thinks): enough for a name that is
#: also a word or a place ("Jordan said"); "Valencia upgraded us" is a hotel, not a person
SPEECH_VERBS = frozenset(
    """said says told tells asked asks explained explains replied replies promised promises rang phoned emailed
    texted messaged wrote laughed laughs shouted apologised apologized thinks thought reckons reckoned knows
    knew whispered smiled sighed shrugged nodded insisted admitted argued complained""".split()
)

#: words after a capitalised word that make it a place or an organisation: "Victoria Station", "Rose Lane"
PLACE_NOUNS = frozenset(
    """street st road rd lane ln avenue ave drive boulevard way place court crescent close terrace parkway square
    highway row gardens mews grove walk circle trail station airport terminal hotel hostel inn resort bridge hall
    centre center mall beach bay river lake mountain mount university college school hospital clinic church
    cathedral tower market park island islands valley airways airlines air bank group limited ltd inc plc gmbh
    travel tours holidays museum gallery theatre theater stadium arena palace castle harbour harbor port
    district county province state city town village avenida calle rue strasse straße""".split()
)

#: words before a capitalised word that make it part of a place name: "Santa Maria", "Fort William"
PLACE_PREFIXES = frozenset("st saint san santa santo são sao fort port mount mt lake cape los las el la le".split())

#: prepositions before a capitalised word that make it a place: "in Rio", "via Doha" (unless a
#: possessive follows: "in Tendai's flat")
PLACE_PREPOSITIONS = frozenset("in at via near into towards toward around across through inside outside within".split())

#: travel words before "to" that make the next capitalised word a place: "flight to Rio", "went to Lagos"
TRAVEL_WORDS = frozenset(
    """flight flights flew fly flying flies trip trips went go going goes gone travel travelled traveled travelling
    traveling travels drove drive driving back return returned returning returns ticket tickets route routes holiday
    holidays train trains bus buses ferry ferries journey journeys moved move moving relocated connection connections
    transfer transfers way road ride cruise visit visited visiting visa fare fares""".split()
)

#: determiners: "the Gold lounge", "a Mercedes" — no person's name follows them
DETERMINERS = frozenset("the a an this these those its every each some any no".split())
