hdr = "Leerlingnummer;Achternaam;Voorvoegsel;Roepnaam;Geboortedatum;Groep;Geslacht;Straat;Huisnummer;Postcode;Plaats;Naam ouder 1;Relatie ouder 1;Gezag ouder 1;Telefoon ouder 1;E-mail ouder 1;Naam ouder 2;Relatie ouder 2;Gezag ouder 2;Telefoon ouder 2;E-mail ouder 2;Uitschrijfdatum"
rows = [
 "1001;Vries (fictief);de;Sanne;12-03-2016;Groep 5;2;Lindelaan;4;1234 AB;Dorpstad;Marieke de Vries (fictief);moeder;ja;06-11111111;ouder1@example.org;Jeroen de Vries (fictief);vader;ja;06-22222222;;",
 "1002;Jansen (fictief);;Daan;01-09-2015;Groep 6;1;Kerkstraat;12a;1234 CD;Dorpstad;Ingrid Jansen (fictief);moeder;ja;06-33333333;;;;;;;",
 "1003;Çelik (fictief);;Zoë;23-11-2017;Groep 4;2;Molenweg;7;1234 EF;Dorpstad;Aïsha Çelik (fictief);moeder;ja;06-44444444;;Mehmet Çelik (fictief);vader;nee;;;",
 "1004;Bakker (fictief);;Noah;15-06-2014;Groep 7;1;Dijk;1;1234 GH;Dorpstad;Petra Bakker (fictief);pleegmoeder;nee;06-55555555;;;;;;;",
]
open("parnassys_cp1252.csv", "wb").write(("\r\n".join([hdr, *rows]) + "\r\n").encode("cp1252"))
rows2 = [rows[0], rows[1].replace("Groep 6", "Groep 7"), rows[2]]
open("parnassys_cp1252_second.csv", "wb").write(("\r\n".join([hdr, *rows2]) + "\r\n").encode("cp1252"))
mhdr = "Stamnummer;Achternaam;Tussenvoegsel;Roepnaam;Geboortedatum;Klas;Geslacht;Straat;Huisnummer;Postcode;Woonplaats;Mentor;Naam ouder/verzorger 1;Relatie ouder/verzorger 1;Gezag ouder/verzorger 1;Telefoon ouder/verzorger 1"
mrows = [
 "004711;Visser (fictief);;Lotte;02-02-2011;2A;V;Schoolstraat;3;2345 AB;Stadskanaal;Mentor (fictief);Kees Visser (fictief);vader;ja;06-66666666",
 "004712;Berg (fictief);van den;Sem;30-10-2010;3B;M;Parklaan;10;2345 CD;Stadskanaal;Mentor (fictief);Anja van den Berg (fictief);moeder;ja;06-77777777",
]
open("magister_unknown_column.csv", "wb").write(("\r\n".join([mhdr, *mrows]) + "\r\n").encode("utf-8-sig"))
shdr = "Leerlingnummer,Achternaam,Voorvoegsel,Roepnaam,Geboortedatum,Stamgroep,Geslacht,Straat,Huisnummer,Postcode,Plaats,Verzorger 1 naam,Verzorger 1 relatie,Verzorger 1 wettelijk gezag,Verzorger 1 telefoon"
srows = [
 "220001,Smit (fictief),,Emma,2012-05-05,H1a,Vrouw,Beukenlaan,5,3456 AB,Zeestad,Rob Smit (fictief),vader,true,06-88888888",
 "220002,Mulder (fictief),,Finn,2011-12-24",
 "220003,Dekker (fictief),,Julia,31-02-2012,H1b,Vrouw,Eikenlaan,6,3456 CD,Zeestad,,,,",
 "220004,Bos (fictief)\x1b[2J,,Levi,2012-01-01,H1b,Man,Wilgenlaan,7,3456 EF,Zeestad,,,,",
 "220005,Vos (fictief),,Tess,2012-08-08,H1a,Vrouw,Iepenlaan,8,3456 GH,Zeestad,Eva Vos (fictief),moeder,true,06-99999999",
]
open("somtoday_broken_line.csv", "wb").write(("\n".join([shdr, *srows]) + "\n").encode("utf-8"))
