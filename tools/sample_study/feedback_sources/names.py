"""Hand-written pool of fictional survey respondents (used where a survey row names nobody).

Avoids the first names of the staff and third parties planted in the texts.
"""

SURVEY_NAMES = [
    "Abdul Karim", "Adriana Vasquez", "Agnes Fitzgerald", "Ahmad Nasser", "Alice Whitcombe",
    "Alistair Murray", "Amina Diallo", "Andrea Müller", "Annette Dupuis", "Antonio Marchetti",
    "Arthur Pennington", "Astrid Holm", "Barbara Nowakowska", "Bernard Fournier", "Bianca Stoica",
    "Bilal Chaudhry", "Brenda Okoro", "Callum Reid", "Camila Rojas", "Carl Johansson",
    "Cecilia Moretti", "Cheng Hao", "Ciara Duffy", "Colin Baxter", "Cristina Popescu",
    "Dalia Mansour", "Darren Hollis", "Denise Carver", "Diana Kowalczyk", "Dominik Berger",
    "Edith Pearce", "Eduardo Lima", "Eileen Marsh", "Emil Nielsen", "Esther Abrahams",
    "Fabio Ricci", "Farah Siddiqui", "Felicity Crane", "Florian Weiss", "Gemma Talbot",
    "Gideon Levi", "Gillian Shaw", "Gloria Mendoza", "Gordon McKay", "Gwen Rhys",
    "Hamid Farahani", "Harriet Simms", "Hector Salazar", "Hilary Dunn", "Ida Lindström",
    "Ignacio Torres", "Ingrid Hansen", "Irina Sokolova", "Isaac Mensah", "Ivana Horvat",
    "Jacqueline Roy", "Jasper de Wit", "Jean-Paul Girard", "Jill Henderson", "Joaquim Ferreira",
    "Jocelyn Tate", "Jorge Castillo", "Judith Fairweather", "Kamala Iyer", "Karl Hoffmann",
    "Kateryna Bondarenko", "Keisha Williams", "Kenneth Lowry", "Khalid Mahmoud", "Kirsten Paulsen",
    "Lena Vogel", "Leonard Ashby", "Lidia Esposito", "Linda Carmichael", "Lorenzo Gallo",
    "Lucinda Hart", "Magnus Olsen", "Malik Bennani", "Marianne Leroy", "Marta Kovács",
    "Maureen Kelly", "Maxime Girard", "Melissa Grant", "Milan Novotný", "Miriam Adler",
    "Muhammad Usman", "Nadine Haas", "Neil Ferguson", "Nicola Bruno", "Nils Ekström",
    "Nkechi Eze", "Norah Quinlan", "Orla Fitzpatrick", "Pamela Stewart", "Paolo Bellini",
    "Patricia Navarro", "Paulina Wiśniewska", "Philippa Long", "Quentin Marchand", "Rania Saleh",
    "Raymond Cho", "Regina Silva", "Rhys Morgan", "Rita Fonseca", "Roland Becker",
    "Rosalind Burke", "Ruby Chapman", "Saanvi Gupta", "Sabine Wolff", "Salma Haddad",
    "Sanjay Kapoor", "Selin Arslan", "Shauna Doyle", "Sibusiso Dlamini", "Silvia Romano",
    "Simone Lefèvre", "Stanislav Petrov", "Stella Harrington", "Sunniva Berg", "Tamara Kozlova",
    "Tanvir Ahmed", "Teresa Oliveira", "Theo Vandenberg", "Tiago Pereira", "Trudy Marshall",
    "Ulrike Franke", "Uma Krishnan", "Ursula Brandt", "Valerie Dumont", "Vera Nikolaeva",
    "Vikram Malhotra", "Walter Grimes", "Wendy Tucker", "Xavier Dubois", "Yara Haddad",
    "Yvette Moreau", "Zara Ahmed", "Zeynep Çelik", "Zofia Krawczyk", "Zoltan Nagy",
    "Beatrix Ormond", "Cormac Dunne", "Delphine Roux", "Elif Şahin", "Gustavo Ramos",
    "Hiroshi Yamamoto", "Jarrah Collins", "Leilani Kahale", "Matilda Fry", "Oren Shapiro",
    "Penelope Ward", "Rashid Qasim", "Sigrid Aalto", "Tomás Ó Briain", "Viktor Halvorsen",
    "Winifred Oakes", "Yasmine Benali", "Zachary Stone", "Agnieszka Lis", "Bruno Ferraz",
]
