"""Support emails, part D (channel inconsistency, disruption, delight, purchase, other).

Each item: (theme, customer, customer_email, subject, body, pii); see emails_a.
"""

ITEMS = [
    # ---------------------------------------------------------------- channel_inconsistency
    ("channel_inconsistency", "Angela Foster", "angela.foster@example.com",
     "Conflicting answers about my refund",
     """Hi,

I'd like one consistent answer please. So far:
- Chat (Monday): "You're entitled to a full refund."
- Phone (Tuesday): "This fare is non-refundable, you can get a voucher."
- Email (Thursday): "Your refund request has been rejected."
- Airport desk (today): "You should have got a refund, call the phone line."

Booking SKY-AF3C6N. Which is correct?

Angela Foster""",
     [("booking_ref", "SKY-AF3C6N"), ("name", "Angela Foster")]),
    ("channel_inconsistency", "Marcus Johnson", "marcus.johnson@mail.test",
     "Re: Case 44120 / Case 44982 / Case 45107",
     """Hello,

I now have three case numbers for the same problem because each channel opens a new case and none of them can see the others. Every time I have to explain from the beginning that the hotel charged me twice.

Could one person please take ownership of this?

Marcus Johnson
(312) 555-0168""",
     [("name", "Marcus Johnson"), ("phone", "(312) 555-0168")]),
    ("channel_inconsistency", "Eleanor Price", "eleanor.price@example.org",
     "Agent promised a callback, email says no record",
     """Dear Skylark,

On Tuesday I spoke to Kevin on the phone who promised to waive my change fee and call me back once done. Today I got an email saying there is "no record of any agreement" and that I need to pay £75.

I'm not paying for your internal miscommunication. Please check the call recording.

Eleanor Price""",
     [("name", "Kevin"), ("name", "Eleanor Price")]),
    ("channel_inconsistency", "Yusuf Ibrahim", "yusuf.ibrahim@example.com",
     "App and website show different bookings",
     """Hi,

The app shows my flight on 29 August at 07:15. The website shows 29 August at 09:40. The confirmation email says 07:15. The airline's website says 09:40. What time should I be at the airport?

Yusuf""",
     [("name", "Yusuf")]),
    ("channel_inconsistency", "Natasha Romero", "natasha.romero@example.com",
     "Social media said one thing, phone another",
     """Hello,

Your team on Instagram told me by DM that I could bring my cat in the cabin if I added it "via the phone line". The phone line said pets are not allowed on this airline at all. The website FAQ says "depends on airline, contact us".

I'm now unsure whether I can travel with my cat next week. Please give me a definite answer in writing.

Natasha Romero""",
     [("name", "Natasha Romero")]),
    ("channel_inconsistency", "Bartosz Lewandowski", "bartosz.lew@example.org",
     "Tired of repeating myself",
     """Good day,

This is the 5th time I describe my problem. The chat agent had no access to my previous emails, the phone agent didn't see the chat, and your email team replies as if we've never spoken.

Summary for the 5th time: the hotel in Wrocław charged me a deposit of PLN 500 that was supposed to be covered. I want it back.

Bartosz Lewandowski""",
     [("name", "Bartosz Lewandowski")]),
    ("channel_inconsistency", "Heather Collins", "heather.collins@mail.test",
     "Desk vs app - bag allowance",
     """Hi,

At the Skylark desk at Birmingham the agent told me my fare includes a 23 kg bag, and that the app is "usually wrong". The app says no bag. I paid at the gate because the gate staff said the app is right. Please refund the £55 since your own desk told me it was included.

Heather Collins""",
     [("name", "Heather Collins")]),
    ("channel_inconsistency", "Julian Wright", "julian.wright@example.com",
     "Chatbot vs human agent",
     """Hi,

Your chatbot told me I can cancel my hotel for free until 24 hours before. Your human agent today said the booking was non-refundable from the start and the chatbot "doesn't know the conditions". If the chatbot doesn't know, why is it answering?

Julian""",
     [("name", "Julian")]),
    ("channel_inconsistency", "Aleksandra Nowicka", "a.nowicka@example.com",
     "Two different compensation answers",
     """Dear Skylark,

On 10 August I received an email saying my compensation claim for the 6-hour delay was approved (€400). On 12 August I received another email saying it was rejected because the delay was "extraordinary circumstances". When I called, the agent could only see the rejection.

Please honour the approval.

Aleksandra Nowicka
+48 600 555 019""",
     [("name", "Aleksandra Nowicka"), ("phone", "+48 600 555 019")]),
    ("channel_inconsistency", "Dylan Evans", "dylan.evans@example.com",
     "Hotel says one thing, Skylark says another",
     """Hiya,

Hotel says Skylark hasn't paid them so they want my card. Skylark chat says it's paid and the hotel is wrong. I'm stuck at the reception in Cardiff in between and the receptionist is getting annoyed with me. Can someone from Skylark call the hotel directly please??

Dylan
07700 900346""",
     [("name", "Dylan"), ("phone", "07700 900346")]),
    ("channel_inconsistency", "Susan Wallace", "susan.wallace@example.org",
     "Re: Your complaint",
     """Dear Sven,

Your reply says my complaint was resolved by phone on 3 August. I did not speak to anyone on 3 August. I think you might be looking at someone else's case, or your systems don't talk to each other. The problem (no refund for the cancelled Amsterdam hotel) is NOT resolved.

Susan Wallace

> Dear Susan, as discussed with our phone team on 3 August, your complaint has now been resolved and closed.
> Kind regards, Sven | Skylark Care""",
     [("name", "Sven"), ("name", "Susan Wallace"), ("name", "Susan")]),
    ("channel_inconsistency", "Ravi Shankar", "ravi.shankar@mail.test",
     "Different price by phone and online",
     """Hello,

The phone agent quoted me £1,240 for the Maldives package and said the same price was online. Online it's £1,085. When I asked, the agent said the phone has "different inventory". Why would I pay more to speak to someone?

Ravi Shankar""",
     [("name", "Ravi Shankar")]),
    ("channel_inconsistency", "Catherine Moore", "catherine.moore@example.com",
     "Which email is correct?",
     """Hi Skylark,

I've received two emails about the same booking (SKY-CM5E8R) today: one says "Your booking is confirmed", the other "Your booking has been cancelled - payment not received". The app says confirmed. My bank shows payment taken. Could you please clarify?

Catherine""",
     [("booking_ref", "SKY-CM5E8R"), ("name", "Catherine")]),

    # ---------------------------------------------------------------- disruption_notification
    ("disruption_notification", "Peter Lindqvist", "peter.lindqvist@example.com",
     "No notification of cancellation",
     """Hello,

Our flight from Stockholm to Nice on 2 August was cancelled. We only found out at the airport. The airline says they notified Skylark 3 days before. Skylark didn't notify us at all - no email, no SMS to +46 70 555 0123, no push notification.

We had to buy new tickets at the airport. I'd like those costs covered.

Peter Lindqvist""",
     [("phone", "+46 70 555 0123"), ("name", "Peter Lindqvist")]),
    ("disruption_notification", "Alison Grey", "alison.grey@mail.test",
     "Schedule change not communicated",
     """Hi,

Our return flight from Malta was moved 5 hours earlier in June. We found out today (the day of departure) when online check-in showed the new time. We'd booked a tour for the morning which we had to abandon.

Why weren't we told when the change happened?

Alison Grey""",
     [("name", "Alison Grey")]),
    ("disruption_notification", "Femi Adeyemi", "femi.adeyemi@example.com",
     "Delay alert came too late",
     """Good morning,

The "your flight is delayed" email arrived 20 minutes AFTER the original departure time. We'd rushed to the airport with two kids for nothing and then sat there for 4 hours.

Femi""",
     [("name", "Femi")]),

    # ---------------------------------------------------------------- delight
    ("delight", "Margaret Thompson", "margaret.thompson@example.org",
     "Thank you",
     """Dear Skylark,

I just wanted to say thank you to your agent Marco, who helped me on the phone last Tuesday. I had booked the wrong date for my granddaughter's graduation trip and he fixed it patiently, without any fee, and even rang me back to check I'd received the new ticket.

It's rare to get service like that these days.

Margaret Thompson""",
     [("name", "Marco"), ("name", "Margaret Thompson")]),
    ("delight", "Jake Robinson", "jake.robinson@example.com",
     "Great service in Dubai",
     """Hi,

Quick note to say the Skylark desk at Dubai airport were superb when our connection was cancelled - hotel, meals and a new flight sorted in 20 minutes.

Cheers,
Jake""",
     [("name", "Jake")]),
    ("delight", "Sofia Andersson", "sofia.andersson@mail.test",
     "Compliment for your hotel partner",
     """Hello,

We have just come back from the hotel in Sorrento that we booked with Skylark. Everything was exactly as booked and the staff had prepared a cot and a birthday cake for our son because I'd written it in the booking. Please pass on our thanks.

Sofia Andersson""",
     [("name", "Sofia Andersson")]),
    ("delight", "Liam O'Brien", "liam.obrien@example.org",
     "Quick refund - thanks!",
     """Hi team, just a short email to say thanks - the refund for my cancelled Galway hotel arrived in 4 days, much faster than I expected. Appreciated!

Liam""",
     [("name", "Liam")]),

    # ---------------------------------------------------------------- purchase
    ("purchase", "Gabriela Souza", "gabriela.souza@example.com",
     "Question before booking - group discount?",
     """Hello Skylark,

We are a group of 12 friends planning a trip to Lisbon in October. We saw your flight + hotel bundles and like the prices. Is there a group discount if we book together? We would like to book this week if possible.

Obrigada,
Gabriela Souza""",
     [("name", "Gabriela Souza")]),
    ("purchase", "Howard Bell", "howard.bell@mail.test",
     "Using miles and card together",
     """Hi,

I'd like to book the Rome city break I saw in your newsletter. Can I pay part with my 14,000 Skylark Miles and the rest by card? If yes I'll book tonight - the offer ends Sunday.

Howard Bell""",
     [("name", "Howard Bell")]),

    # ---------------------------------------------------------------- other
    ("other", "Irene Costa", "irene.costa@example.com",
     "Unsubscribe",
     """Please remove me from your marketing emails. I've clicked unsubscribe twice.

Irene Costa""",
     [("name", "Irene Costa")]),
    ("other", "Derek Palmer", "derek.palmer@example.org",
     "Invoice for company",
     """Hello,

Could you send me an invoice with our company name and address on it for the flights I booked last week? Our finance department needs it for expenses.

Thanks,
Derek Palmer""",
     [("name", "Derek Palmer")]),
    ("other", "Yuki Sato", "yuki.sato@mail.test",
     "Lost property question",
     """Hello,

I think I left a scarf on the flight from Osaka to London last week. Is there a lost property service through Skylark or should I contact the airline?

Thank you,
Yuki Sato""",
     [("name", "Yuki Sato")]),
    ("other", "Noah Fischer", "noah.fischer@example.com",
     "Data request",
     """Hi,

Under GDPR I'd like a copy of the personal data you hold about me. Please let me know what you need to verify my identity.

Noah Fischer""",
     [("name", "Noah Fischer")]),
    ("other", "Carmen Delgado", "carmen.delgado@example.com",
     "Visa information",
     """Hola,

Do you provide information about visa requirements for Turkey for Spanish citizens, or is that our responsibility? Just checking before we book anything.

Carmen""",
     [("name", "Carmen")]),
    ("other", "Martin Kraus", "martin.kraus@example.org",
     "Partnership enquiry",
     """Dear Skylark team,

I run a small boutique hotel in the Dolomites and would like to know how we can become a partner hotel on your platform. Who should I talk to?

Best regards,
Martin Kraus""",
     [("name", "Martin Kraus")]),
]
