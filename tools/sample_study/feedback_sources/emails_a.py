"""Support emails, part A (payment without confirmation, call-centre hold loops).

Each item: (theme, customer, customer_email, subject, body, pii) where pii lists the
(kind, value) pairs planted in the subject or body. Bodies are written as they arrive,
with greetings, sign-offs and quoted earlier replies.
"""

ITEMS = [
    # ---------------------------------------------------------------- payment_no_confirmation
    ("payment_no_confirmation", "Tomasz Nowak", "tomasz.nowak@example.com",
     "Payment taken - no confirmation",
     """Hi Skylark team,

Yesterday evening I booked return flights Warsaw - London for me and my son. My card was charged PLN 1,874 at 21:42 but I have not received any confirmation email and the booking does not appear in my account.

Can you please confirm whether the booking exists? If not, I need the money back before I try again.

Regards,
Tomasz Nowak""",
     [("name", "Tomasz Nowak")]),
    ("payment_no_confirmation", "Priya Shah", "priya.shah@example.org",
     "Re: Booking SKY-4QZ81M - charged twice",
     """Hello,

This is my third email about this. I was charged twice (£436.20 and £436.20) for the same hotel in Edinburgh. I received ONE confirmation, for SKY-4QZ81M. The second charge has no booking attached to it at all.

Please refund the second payment. I've attached both bank statement lines.

Thanks,
Priya

> On 3 Jul 2026, Skylark Care wrote:
> Dear Priya, thank you for contacting us. We can see one booking on your profile. Please allow 3-5 working days for any duplicate authorisation to drop off.
> Kind regards, Kevin | Skylark Care""",
     [("booking_ref", "SKY-4QZ81M"), ("name", "Priya"), ("name", "Kevin")]),
    ("payment_no_confirmation", "Samuel Osei", "sam.osei@mail.test",
     "No e-ticket",
     """Dear Sir/Madam

I paid for a flight to Accra on the 14th. My bank statement shows the payment to Skylark Travel. I have not got an e-ticket. The airline says there is no ticket number. I fly on the 2nd of next month. Please send me the e-ticket or tell me what happened to my money.

You can call me on +44 7700 900782.

Samuel Osei""",
     [("phone", "+44 7700 900782"), ("name", "Samuel Osei")]),
    ("payment_no_confirmation", "Elena Garcia", "elena.garcia@example.com",
     "Is my booking confirmed??",
     """Hi,

quick question - I booked a hotel in Bilbao through your app on Saturday, it took the payment (€289.00) and then the screen went white. No email since then. Did it go through or not? I don't want to book again and end up with two.

Elena""",
     [("name", "Elena")]),
    ("payment_no_confirmation", "Michael Brennan", "mbrennan@example.org",
     "Two bookings, one trip",
     """Good afternoon,

On 19 June I tried to book flights to Faro. The payment page timed out, so I tried again. Both payments went through and I now have bookings SKY-9KD2VX and SKY-9KD3AB for exactly the same flights and passengers. I only ever wanted one.

Your website says cancelling one of them incurs a £60 fee. I don't think I should pay a fee for your payment page failing. Please cancel SKY-9KD3AB free of charge and refund it in full.

Kind regards,
Michael Brennan
+353 87 555 0142""",
     [("booking_ref", "SKY-9KD2VX"), ("booking_ref", "SKY-9KD3AB"), ("name", "Michael Brennan"), ("phone", "+353 87 555 0142")]),
    ("payment_no_confirmation", "Ayumi Tanaka", "ayumi.tanaka@example.com",
     "Payment but booking status 'processing'",
     """Dear Skylark Travel,

I made a booking for a flight and hotel to Kyoto. Payment was successful (Visa). But for 4 days the status shows 'processing' and I have no confirmation number. My travel is in 10 days. I am very worried. Please kindly check.

Best regards,
Ayumi Tanaka""",
     [("name", "Ayumi Tanaka")]),
    ("payment_no_confirmation", "James O'Reilly", "james.oreilly@example.com",
     "WHERE ARE MY TICKETS",
     """I have been charged $1,122.40 for flights from Boston to Dublin and I still have NO TICKETS. 3 emails, 2 calls. Nobody can tell me if I'm booked. If I don't hear back today I'm disputing with Amex.

James""",
     [("name", "James")]),
    ("payment_no_confirmation", "Fiona MacLeod", "fiona.macleod@mail.test",
     "Confirmation not received - order 5301 2288 0415 7720",
     """Hello Skylark,

I booked a hotel in Inverness for my mother's 80th. The payment was taken (order number 5301 2288 0415 7720 on the receipt page) but no confirmation came and the hotel can't find anything under her name.

Can somebody please check what happened? The party is next weekend.

Many thanks,
Fiona MacLeod
07700 900231""",
     [("not_pii_number", "5301 2288 0415 7720"), ("name", "Fiona MacLeod"), ("phone", "07700 900231")]),
    ("payment_no_confirmation", "Ahmed Bakr", "ahmed.bakr@example.org",
     "Payment deducted, booking failed",
     """Hi team,

Payment of AED 3,450 was deducted from my card but the website showed "Booking failed, please try again". I did not try again. Please either confirm the booking (Dubai - Colombo, 12 Sept) or reverse the payment.

Thank you
Ahmed""",
     [("name", "Ahmed")]),
    ("payment_no_confirmation", "Charlotte Dupont", "c.dupont@example.com",
     "Réservation / booking not confirmed",
     """Bonjour,

Sorry my English is not perfect. I paid for a flight Paris - Montreal with my card 4111 1111 1111 1111 (I write it so you can find the payment). I have no email of confirmation, nothing in the app. Is the reservation okay? My phone is +33 1 23 45 67 89.

Merci,
Charlotte Dupont""",
     [("card", "4111 1111 1111 1111"), ("phone", "+33 1 23 45 67 89"), ("name", "Charlotte Dupont")]),
    ("payment_no_confirmation", "Daniel Weber", "daniel.weber@example.com",
     "Re: Re: Missing confirmation",
     """Hi Marco,

Thanks for your reply, but I still have not received the confirmation you said you "resent". Nothing in spam either. Could you send it to this address instead: d.weber.travel@example.org

Also, the app still shows no trips.

Daniel

> On 28 Jul 2026, Skylark Care wrote:
> Hi Daniel, I've resent your confirmation for your Munich - Lisbon trip. It should arrive within 15 minutes.
> Best, Marco | Skylark Care""",
     [("name", "Marco"), ("email", "d.weber.travel@example.org"), ("name", "Daniel")]),
    ("payment_no_confirmation", "Grace Liu", "grace.liu@mail.test",
     "Charged for a hotel I can't see",
     """Hello,

Last night I used the app on my iPhone to book two nights in Vancouver. Apple Pay shows a completed payment of CAD 512.66. The app's "Trips" tab is empty and there is no email. I've restarted the app and logged out/in.

Could you confirm whether I have a reservation? If I turn up and there's nothing I'll have nowhere to stay.

Grace Liu""",
     [("name", "Grace Liu")]),
    ("payment_no_confirmation", "Oluwaseun Adebayo", "seun.adebayo@example.com",
     "booking ref not working",
     """hi

after paying i got a ref SKY-N6TB3R on screen but it says invalid when i put it on manage booking. paid 640 pounds. please confirm i am booked for lagos on the 21st

thanks
Seun""",
     [("booking_ref", "SKY-N6TB3R"), ("name", "Seun")]),
    ("payment_no_confirmation", "Karin Berg", "karin.berg@example.org",
     "Bundle payment - no documents",
     """Hej Skylark,

We booked the Gran Canaria bundle (2 adults, 2 children) last Tuesday. The money has gone (SEK 24,310) but we have no travel documents, no hotel voucher and no flight times.

We leave in 12 days. Please send everything as soon as possible, or call me on +46 8 555 012 34.

Med vänliga hälsningar,
Karin Berg""",
     [("phone", "+46 8 555 012 34"), ("name", "Karin Berg")]),
    ("payment_no_confirmation", "Robert Hale", "rob.hale@example.com",
     "Duplicate payment",
     """Dear Skylark,

I was charged twice for booking SKY-H2RL7Q. The first attempt returned an error, the second succeeded. My bank confirms both were captured, not just authorised. Please refund the duplicate of £219.98.

Yours faithfully,
Robert Hale""",
     [("booking_ref", "SKY-H2RL7Q"), ("name", "Robert Hale")]),
    ("payment_no_confirmation", "Lucía Fernández", "lucia.fernandez@example.com",
     "Confirmation email",
     """Hi,

I paid for a flight yesterday but the confirmation email hasn't arrived. I checked spam. Could you resend it? Thank you.

Lucía""",
     [("name", "Lucía")]),

    # ---------------------------------------------------------------- ivr_hold_loop
    ("ivr_hold_loop", "Gary Whitmore", "gary.whitmore@example.com",
     "Your phone line",
     """To whom it may concern,

I have now spent a combined 4 hours and 20 minutes on hold over three days trying to speak to someone about my booking. On two occasions the call was disconnected after more than an hour. On the third, the automated system told me to "visit skylark.example/help" and ended the call.

I am writing because there is apparently no other way to reach a human being. I would like someone to phone me on 0161 496 0213.

Gary Whitmore""",
     [("phone", "0161 496 0213"), ("name", "Gary Whitmore")]),
    ("ivr_hold_loop", "Sandra Kowalski", "sandra.k@mail.test",
     "cannot get through",
     """hello, i have tried to call you 6 times today. each time the robot asks me for my booking number, i say it, it says it didnt understand, i type it, it says sorry that's not a valid option, then back to the start. i have a question about my mothers wheelchair for the flight on friday. please someone email me back.

sandra""",
     [("name", "sandra")]),
    ("ivr_hold_loop", "Nikhil Rao", "nikhil.rao@example.org",
     "Complaint - disconnected after 95 minutes",
     """Hi,

I'd like to formally complain. I called about a flight change at 08:30 this morning, waited 95 minutes, got a "please hold while I transfer you", and was cut off. I called straight back and the estimated wait was 2 hours.

I work in a hospital and can't sit on hold. Please give me an email option or a callback that actually happens.

Regards,
Dr Nikhil Rao""",
     [("name", "Nikhil Rao")]),
    ("ivr_hold_loop", "Beverley Jones", "bev.jones@example.com",
     "Callback never happened (x3)",
     """Dear Skylark,

Three times I have selected "request a callback" on your phone menu. Three times I've been told someone will call within 4 hours. Nobody has called. My number is 07700 900564 and it's definitely right because your system read it back to me.

Beverley Jones""",
     [("phone", "07700 900564"), ("name", "Beverley Jones")]),
    ("ivr_hold_loop", "Stefano Rossi", "stefano.rossi@example.com",
     "Impossible to speak to an agent",
     """Good morning,

Your voice system does not let me speak with an agent. I say "agent" and it says "I can help you with that" and then reads the baggage policy. I press 0 and it says "invalid option". I am a Gold member and the Gold line goes to the same menu.

Please tell me how I can talk to a person.

Stefano Rossi""",
     [("name", "Stefano Rossi")]),
    ("ivr_hold_loop", "Aisling Byrne", "aisling.byrne@mail.test",
     "On hold from the airport",
     """Hi there,

I'm writing this from Lanzarote airport. Our flight home was cancelled and there is no Skylark desk here. I've been on hold to your emergency number for 1 hour 40 minutes on my mobile and my battery is at 12%.

Can someone please email me with what we're supposed to do? 2 adults, 1 child, booking SKY-7BNQ2E.

Aisling""",
     [("booking_ref", "SKY-7BNQ2E"), ("name", "Aisling")]),
    ("ivr_hold_loop", "Harold Finch", "h.finch@example.org",
     "Telephone service",
     """Dear Sirs,

I am 81 and do not use apps. I have tried to telephone your company about my hotel booking on four occasions. The machine gives me a list of options, none of which are right, and then plays music for a very long time before saying goodbye.

I should be grateful if someone could write to me at 14 Elmfield Road, Headingley, Leeds LS6 2QT or telephone me at home on 0113 496 0570.

Yours sincerely,
Harold Finch""",
     [("address", "14 Elmfield Road, Headingley, Leeds LS6 2QT"), ("phone", "0113 496 0570"), ("name", "Harold Finch")]),
    ("ivr_hold_loop", "Jessica Moreno", "jess.moreno@example.com",
     "Re: Your call is important to us (apparently)",
     """Hi Leanne,

You asked me to call the phone line to process the change. I did. It took 2 hours to get through and the agent said she can't see your notes and that I should email. So here I am emailing again. Please just do the change from your side.

Jess

> On 9 Aug 2026, Skylark Care wrote:
> Hi Jessica, for date changes please call our team on the number in the app, they'll be happy to help.
> Thanks, Leanne
> Skylark Customer Care""",
     [("name", "Leanne"), ("name", "Jess"), ("name", "Jessica")]),
    ("ivr_hold_loop", "Felix Schmidt", "felix.schmidt@example.com",
     "Hotline drops calls",
     """Hello,

Every time I reach position 1 in the queue, the call is disconnected. This has happened four times now, at different times of day, from two different phones (so it's not my phone). Somebody should check your phone system.

My question is simple: can I bring my dog's travel crate as checked baggage on SKY-T5CM8W?

Thanks,
Felix Schmidt
+49 30 555 0187""",
     [("booking_ref", "SKY-T5CM8W"), ("name", "Felix Schmidt"), ("phone", "+49 30 555 0187")]),
    ("ivr_hold_loop", "Latoya Jackson", "latoya.jackson@example.com",
     "Hold time",
     """Hi,

Just so you know, the hold time today was 2 hrs 12 min. I recorded it. When someone finally answered they put me on hold again to "check with a supervisor" and never came back.

I still need to know if my flight credit can be used for my daughter.

Latoya Jackson
(415) 555-0199""",
     [("name", "Latoya Jackson"), ("phone", "(415) 555-0199")]),
    ("ivr_hold_loop", "Piotr Zielinski", "piotr.zielinski@mail.test",
     "Automated menu - no option for my problem",
     """Dear Skylark Travel,

My problem is that the hotel charged my card at check-in even though I had prepaid. None of the options on your phone menu fit this (flights, new booking, baggage, Skylark Miles). I chose "other" and it said "other enquiries should be made online" and hung up.

So I'm making my enquiry online. Please help.

Piotr Zielinski""",
     [("name", "Piotr Zielinski")]),
    ("ivr_hold_loop", "Erin Walsh", "erin.walsh@example.org",
     "Called 11 times",
     """I called 11 times yesterday. 11. The line was "busy, please try later" 8 times, 2 times I was cut off in the queue and once I got someone who transferred me to a dead line.

I need to cancel the Crete hotel before the free cancellation window ends TOMORROW. Booking SKY-EW82KD. Please cancel it and confirm in writing.

Erin""",
     [("booking_ref", "SKY-EW82KD"), ("name", "Erin")]),
    ("ivr_hold_loop", "Mohammed Al-Rashid", "m.alrashid@example.com",
     "Customer service is unreachable",
     """Dear Customer Service,

I was on hold for 58 minutes on Monday and 71 minutes on Tuesday. On both days the call ended automatically with the message "our offices are now closed". If you close at 6pm, please stop accepting calls at 5pm.

I need an invoice with VAT for my business trip to Riyadh.

Best regards,
Mohammed Al-Rashid""",
     [("name", "Mohammed Al-Rashid")]),
    ("ivr_hold_loop", "Claire Benson", "claire.benson@example.com",
     "Re: Complaint ref 88213",
     """Hi Dominic,

Thank you for the apology. But I want to point out that your suggestion to "call us for faster service" is exactly the problem - I did call, many times, and never got past the menu. It keeps asking if I want to hear about our latest offers.

Claire

-----Original Message-----
From: Skylark Care
Sent: 14 August 2026 10:02
Subject: Complaint ref 88213

Dear Claire, we're sorry for the wait. For faster service please call our customer line.
Kind regards, Dominic | Skylark Care""",
     [("name", "Dominic"), ("name", "Claire")]),
    ("ivr_hold_loop", "Wang Fang", "wang.fang@example.org",
     "can not reach phone service from China",
     """Hello,

I am in Shanghai and your international phone number does not connect, it says 'number not in service'. The UK number connects but then I wait 1 hour and it disconnect. The app has no chat. How can I contact you?

My booking is SKY-WF3M9P. Please reply by email.

Wang Fang""",
     [("booking_ref", "SKY-WF3M9P"), ("name", "Wang Fang")]),
    ("ivr_hold_loop", "Keith Anderson", "keith.anderson@mail.test",
     "Phone menu",
     """Your phone menu is a maze. That's all. Press 2 for bookings, then 4 for changes, then 1 for flights, then it says "please hold", then plays the opening menu again. I did it 3 times before giving up.

Keith""",
     [("name", "Keith")]),
    ("ivr_hold_loop", "Yolanda Pérez", "yolanda.perez@example.com",
     "Please call me back",
     """Hola,

I tried calling you many times. I was always on hold more than one hour and then the line cut. I need to change the name on my ticket because of a mistake in my surname. Please can somebody call me: +34 912 555 014.

Gracias,
Yolanda Pérez""",
     [("phone", "+34 912 555 014"), ("name", "Yolanda Pérez")]),
    ("ivr_hold_loop", "Ian Fletcher", "ian.fletcher@example.com",
     "Hold music",
     """Hi Skylark,

I've now heard your hold music so many times I can hum it. 47 minutes this morning, then the "we're experiencing unusually high call volumes" message, then silence, then the dial tone.

"Unusually" high volumes every single day isn't unusual. Please hire more agents.

Ian""",
     [("name", "Ian")]),
]
