"""Geology vocabulary of borehole descriptions (German, French, Italian, English).

Base forms; :func:`text_extractor.cleanup.is_known` also accepts German endings
and compounds of these words. A general list for OCR repair and plausibility,
not a list of any particular document's words.
"""

from __future__ import annotations

TERMS = """
# German: materials and rocks
kies kiese sand sande silt silte ton tone lehm lehme mergel humus torf mutterboden oberboden
auffüllung auffuellung aufschüttung schotter geröll gerölle blöcke block blocke steine stein
fels felsen gestein gesteine sandstein tonstein siltstein kalkstein mergelstein schiefer
tonschiefer dolomit gneis granit molasse moräne morane flysch nagelfluh konglomerat brekzie
kakirit kataklasit mylonit quarz quarzit glimmer pyrit calcit kalzit gips anhydrit kohle
letten seekreide schluff schluffe grundmoräne deckschicht verwitterung bohrgut bohrkern
kern vollkern bank lage lagen linse linsen schicht schichten schichtung einlagerung einlagerungen
kluft klüfte ader adern fleck flecke flecken wurzeln wurzel holz pflanzenreste schalen
# German: properties
sandig siltig tonig kiesig lehmig humos kalkig mergelig steinig blockig torfig kohlig glimmerig
fein mittel grob feinsandig mittelsandig grobsandig feinkiesig grobkiesig fein- mittel-
körnig feinkörnig mittelkörnig grobkörnig gerundet kantengerundet kantig angerundet
dicht locker mitteldicht gelagert gepackt fest weich steif halbfest breiig plastisch
mittelsteif sehr schwach stark leicht reichlich wenig viel vereinzelt vermehrt einzelne
nass feucht trocken erdfeucht wassergesättigt verwittert angewittert zersetzt zerbohrt
zerbrochen zerschert zerschertem zerscherten geklüftet gebankt laminiert geschichtet
massig massive hart mürbe brüchig blättrig schiefrig gradiert normal verkittet zementiert
boudiniert tektonisiert geadert verfaltet gefaltet porös durchlässig sauber rein
konsistenz lagerung übergang uebergang sprödbruch bruch druck bohrachse typ schneidbar
# German: colours
farbe grau braun gelb rot grün gruen blau schwarz weiss weiß beige ocker oliv rostbraun
hell dunkel hellgrau dunkelgrau hellbraun dunkelbraun graubraun braungrau gelbbraun
rötlich bräunlich gräulich grünlich gelblich bläulich schwärzlich weisslich
weissgrau weißgrau olivgrau ockerbraun
# German: function words
mit ohne und oder bis von vom zum zur zu mit auf unter über ueber in im am an ab als
der die das des dem den ein eine einer eines einem einen nicht nur auch sowie
# French
gravier graviers sable sables limon limons argile argiles marne marnes grès gres calcaire
calcaires moraine remblai remblais terre végétale vegetale tourbe roche rocher bloc blocs
cailloux caillou galets galet molasse schiste schistes dolomie gypse craie lentille lentilles
graveleux graveleuse sableux sableuse limoneux limoneuse argileux argileuse marneux marneuse
caillouteux caillouteuse fin fine fins fines moyen moyenne grossier grossière grossiere
compact compacte meuble dense lâche lache humide sec sèche sature saturé altéré altere
fissuré fissure stratifié stratifie induré indure cimenté cimente arrondi arrondis anguleux
gris grise brun brune beige jaune jaunâtre ocre rouge rougeâtre vert verte verdâtre noir
noire blanc blanche clair claire foncé fonce brunâtre grisâtre
débris brique briques racines coquilles matériaux matériau friable plastique ferme mou molle
avec sans et ou de des du la le les un une peu très tres assez quelques traces passées
# Italian
ghiaia ghiaie sabbia sabbie limo limi argilla argille marna marne arenaria arenarie calcare
calcari morena riporto terreno vegetale torba roccia blocchi blocco ciottoli ciottolo
ghiaioso ghiaiosa sabbioso sabbiosa limoso limosa argilloso argillosa marnoso marnosa
fine fini medio media grossolano grossolana compatto compatta sciolto sciolta denso densa
umido umida asciutto asciutta saturo satura alterato alterata fratturato fratturata
grigio grigia marrone bruno bruna beige giallo gialla ocra rosso rossa verde nero nera
bianco bianca chiaro chiara scuro scura nocciola
con senza e o di del della dei delle poco molto debolmente abbondante tracce
# English
gravel gravels sand sands silt silts clay clays marl sandstone siltstone claystone mudstone
limestone shale schist granite gneiss till moraine fill topsoil peat boulders cobbles rock
gravelly sandy silty clayey loamy fine medium coarse dense loose stiff soft firm hard
weathered fractured laminated bedded rounded angular subrounded subangular
grey gray brown yellow red green black white beige light dark
with and or to some trace traces little very slightly
"""
