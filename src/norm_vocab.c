/*
 * norm_vocab: the data of normalize's vocabularies and code lists, the
 * facts of the published standards (ISO 3166, CISAC, DDEX allowed-value
 * sets, ID3) and the decisions behind each mapping.  The code that reads
 * them is in norm_text.c (vocabularies), norm_music.c (pitch names) and
 * norm_ids.c (ISRC countries).  Declared in include/blendcat/norm_vocab.h.
 *
 * Alias keys are squash()ed (norm_text.c): ASCII letters and digits
 * lower-cased, other ASCII dropped ("Composer/Lyricist" ->
 * "composerlyricist").
 */
#include "blendcat/norm_vocab.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- Keys ---- */

/* The twelve tonics as stored: spelled with sharps (NORMALIZATION.md). */
const char *const vocab_pitch_names[12] = {
	"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"
};

/* ---- ISRC countries ---- */

/*
 * ISO 3166-1 alpha-2, the 249 officially assigned codes (iso-codes 4.x,
 * which agrees with tzdata's iso3166.tab), then the codes that ISRC
 * agencies use beyond them (NORMALIZATION.md).  Each code is followed by
 * one space.
 */
const char vocab_iso3166[] =
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG "
	"BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI "
	"CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH "
	"ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ "
	"GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT "
	"JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS "
	"LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU "
	"MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG "
	"PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG "
	"SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK "
	"TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU "
	"WF WS YE YT ZA ZM ZW "
	/* ISRC: FX (France, old), QM QZ (US), UK, CP DG (reserved), ZZ */
	"FX QM QZ UK CP DG ZZ ";

/* ---- Performing rights organizations ---- */

/*
 * Spelling variants, squash()ed.  An empty value means "no PRO".
 * Full names only where their common spelling is ASCII.
 */
const struct vocab_alias vocab_pro_names[] = {
	{ "ascap", "ASCAP" },
	{ "americansocietyofcomposersauthorsandpublishers", "ASCAP" },
	{ "americansocietyofcomposersauthorspublishers", "ASCAP" },
	{ "bmi", "BMI" },
	{ "bmiinc", "BMI" },
	{ "broadcastmusic", "BMI" },
	{ "broadcastmusicinc", "BMI" },
	{ "broadcastmusicincorporated", "BMI" },
	{ "sesac", "SESAC" },
	{ "sesacinc", "SESAC" },
	{ "societyofeuropeanstageauthorsandcomposers", "SESAC" },
	{ "gmr", "GMR" },
	{ "globalmusicrights", "GMR" },
	{ "prs", "PRS" },
	{ "prsformusic", "PRS" },
	{ "performingrightsociety", "PRS" },
	{ "performingrightssociety", "PRS" },
	{ "socan", "SOCAN" },
	{ "societyofcomposersauthorsandmusicpublishersofcanada", "SOCAN" },
	{ "gema", "GEMA" },
	{ "sacem", "SACEM" },
	{ "jasrac", "JASRAC" },
	{ "japanesesocietyforrightsofauthorscomposersandpublishers", "JASRAC" },
	{ "apra", "APRA" },
	{ "apraamcos", "APRA" },
	{ "australasianperformingrightassociation", "APRA" },
	{ "siae", "SIAE" },
	{ "sgae", "SGAE" },
	{ "buma", "BUMA" },
	{ "bumastemra", "BUMA" },
	{ "stim", "STIM" },
	{ "tono", "TONO" },
	{ "koda", "KODA" },
	{ "teosto", "TEOSTO" },
	{ "imro", "IMRO" },
	{ "irishmusicrightsorganisation", "IMRO" },
	{ "irishmusicrightsorganization", "IMRO" },
	{ "suisa", "SUISA" },
	{ "akm", "AKM" },
	{ "sabam", "SABAM" },
	{ "zaiks", "ZAIKS" },
	{ "komca", "KOMCA" },
	{ "koreamusiccopyrightassociation", "KOMCA" },
	{ "cash", "CASH" },
	{ "composersandauthorssocietyofhongkong", "CASH" },
	{ "mcsc", "MCSC" },
	{ "musiccopyrightsocietyofchina", "MCSC" },
	{ "sadaic", "SADAIC" },
	{ "samro", "SAMRO" },
	{ "southernafricanmusicrightsorganisation", "SAMRO" },
	{ "sacm", "SACM" },
	{ "acum", "ACUM" },
	{ "iprs", "IPRS" },
	{ "indianperformingrightsociety", "IPRS" },
	{ "ubc", "UBC" },
	{ "abramus", "ABRAMUS" },
	{ "ecad", "ECAD" },
	{ "none", "" },
	{ "na", "" },
	{ "", "" },		/* "-", "n/a", "--" squash to nothing */
	{ "nopro", "" },
	{ "unaffiliated", "" },
	{ "notaffiliated", "" },
};
const size_t vocab_pro_names_count = COUNT(vocab_pro_names);

/*
 * CISAC society codes: the eight of NORMALIZATION.md and others from the
 * CISAC society code list (as used in CWR) for the societies above.
 */
const struct vocab_pro_code vocab_pro_codes[] = {
	{ 1, "ACUM" },    { 5, "AKM" },     { 8, "APRA" },    { 10, "ASCAP" },
	{ 21, "BMI" },    { 23, "BUMA" },   { 26, "CASH" },   { 35, "GEMA" },
	{ 36, "IPRS" },   { 38, "JASRAC" }, { 40, "KODA" },   { 52, "PRS" },
	{ 55, "SABAM" },  { 58, "SACEM" },  { 59, "SACM" },   { 61, "SADAIC" },
	{ 63, "SAMRO" },  { 71, "SESAC" },  { 72, "SGAE" },   { 74, "SIAE" },
	{ 79, "STIM" },   { 80, "SUISA" },  { 89, "TEOSTO" }, { 90, "TONO" },
	{ 93, "UBC" },    { 97, "ZAIKS" },  { 101, "SOCAN" }, { 118, "KOMCA" },
	{ 119, "MCSC" },  { 128, "IMRO" },  { 201, "ABRAMUS" },
};
const size_t vocab_pro_codes_count = COUNT(vocab_pro_codes);

/* ---- Creator roles ---- */

/*
 * Role table, squash()ed keys.  DDEX ContributorRole values (ERN 4.3 AVS)
 * and free-text variants.  Decisions:
 * - ComposerLyricist, Writer, "Composer/Lyricist", "words and music" ->
 *   songwriter: one person who wrote music and words.
 * - Author, Librettist, SubLyricist -> lyricist (CISAC's "author" is the
 *   writer of the words).
 * - Every performing role (MainArtist, Artist, Musician,
 *   AssociatedPerformer, Vocalist, Soloist, Orchestra, DJ...) ->
 *   performer; the instrument goes to track_instrument.  Only
 *   FeaturedArtist keeps its own value, featured artist.
 * - Mixing and mastering are told apart from other engineering: mixer,
 *   mastering engineer, engineer.
 * - Producers of other things (FilmProducer, VideoProducer,
 *   CompilationProducer, ReissueProducer) are not recording producers:
 *   they stay unknown.
 */
const struct vocab_alias vocab_roles[] = {
	{ "composer", "composer" },
	{ "composers", "composer" },
	{ "composedby", "composer" },
	{ "music", "composer" },
	{ "musicby", "composer" },
	{ "lyricist", "lyricist" },
	{ "lyricists", "lyricist" },
	{ "lyrics", "lyricist" },
	{ "lyricsby", "lyricist" },
	{ "lyricwriter", "lyricist" },
	{ "words", "lyricist" },
	{ "wordsby", "lyricist" },
	{ "author", "lyricist" },
	{ "librettist", "lyricist" },
	{ "sublyricist", "lyricist" },
	{ "songwriter", "songwriter" },
	{ "songwriters", "songwriter" },
	{ "songwriting", "songwriter" },
	{ "writer", "songwriter" },
	{ "writers", "songwriter" },
	{ "writtenby", "songwriter" },
	{ "composerlyricist", "songwriter" },
	{ "lyricistcomposer", "songwriter" },
	{ "composerandlyricist", "songwriter" },
	{ "composerauthor", "songwriter" },
	{ "authorcomposer", "songwriter" },
	{ "composerandauthor", "songwriter" },
	{ "composerwriter", "songwriter" },
	{ "musicandlyrics", "songwriter" },
	{ "musicandlyricsby", "songwriter" },
	{ "wordsandmusic", "songwriter" },
	{ "wordsandmusicby", "songwriter" },
	{ "arranger", "arranger" },
	{ "arrangers", "arranger" },
	{ "arrangedby", "arranger" },
	{ "arr", "arranger" },
	{ "musicarranger", "arranger" },
	{ "vocalarranger", "arranger" },
	{ "subarranger", "arranger" },
	{ "orchestrator", "arranger" },
	{ "orchestratedby", "arranger" },
	{ "producer", "producer" },
	{ "producers", "producer" },
	{ "producedby", "producer" },
	{ "prod", "producer" },
	{ "prodby", "producer" },
	{ "production", "producer" },
	{ "coproducer", "producer" },
	{ "associateproducer", "producer" },
	{ "assistantproducer", "producer" },
	{ "additionalproducer", "producer" },
	{ "additionalstudioproducer", "producer" },
	{ "studioproducer", "producer" },
	{ "musicproducer", "producer" },
	{ "recordproducer", "producer" },
	{ "vocalproducer", "producer" },
	{ "stringproducer", "producer" },
	{ "beatmaker", "producer" },
	{ "executiveproducer", "executive producer" },
	{ "coexecutiveproducer", "executive producer" },
	{ "execproducer", "executive producer" },
	{ "performer", "performer" },
	{ "performers", "performer" },
	{ "performedby", "performer" },
	{ "artist", "performer" },
	{ "artists", "performer" },
	{ "mainartist", "performer" },
	{ "primaryartist", "performer" },
	{ "leadperformer", "performer" },
	{ "associatedperformer", "performer" },
	{ "additionalperformer", "performer" },
	{ "musician", "performer" },
	{ "musicians", "performer" },
	{ "studiomusician", "performer" },
	{ "primarymusician", "performer" },
	{ "instrumentalist", "performer" },
	{ "soloist", "performer" },
	{ "vocalist", "performer" },
	{ "vocals", "performer" },
	{ "leadvocalist", "performer" },
	{ "backgroundvocalist", "performer" },
	{ "backingvocalist", "performer" },
	{ "singer", "performer" },
	{ "playbacksinger", "performer" },
	{ "accompanyist", "performer" },
	{ "accompanist", "performer" },
	{ "orchestra", "performer" },
	{ "orchestramember", "performer" },
	{ "ensemble", "performer" },
	{ "choir", "performer" },
	{ "choirmember", "performer" },
	{ "band", "performer" },
	{ "bandleader", "performer" },
	{ "groupmember", "performer" },
	{ "musicgroup", "performer" },
	{ "dj", "performer" },
	{ "clubdj", "performer" },
	{ "featuredartist", "featured artist" },
	{ "featuredperformer", "featured artist" },
	{ "featuring", "featured artist" },
	{ "feat", "featured artist" },
	{ "ft", "featured artist" },
	{ "guestartist", "featured artist" },
	{ "conductor", "conductor" },
	{ "conductedby", "conductor" },
	{ "guestconductor", "conductor" },
	{ "studioconductor", "conductor" },
	{ "assistantconductor", "conductor" },
	{ "secondconductor", "conductor" },
	{ "remixer", "remixer" },
	{ "remixedby", "remixer" },
	{ "remix", "remixer" },
	{ "remixingengineer", "remixer" },
	{ "mixer", "mixer" },
	{ "mixedby", "mixer" },
	{ "mixing", "mixer" },
	{ "mixengineer", "mixer" },
	{ "mixingengineer", "mixer" },
	{ "comixer", "mixer" },
	{ "comixingengineer", "mixer" },
	{ "additionalmixingengineer", "mixer" },
	{ "surroundmixingengineer", "mixer" },
	{ "immersivemixingengineer", "mixer" },
	{ "masteringengineer", "mastering engineer" },
	{ "mastering", "mastering engineer" },
	{ "masteredby", "mastering engineer" },
	{ "engineer", "engineer" },
	{ "engineers", "engineer" },
	{ "engineeredby", "engineer" },
	{ "recordedby", "engineer" },
	{ "recordingengineer", "engineer" },
	{ "soundengineer", "engineer" },
	{ "audioengineer", "engineer" },
	{ "studioengineer", "engineer" },
	{ "assistantengineer", "engineer" },
	{ "additionalengineer", "engineer" },
	{ "balanceengineer", "engineer" },
	{ "secondengineer", "engineer" },
	{ "trackingengineer", "engineer" },
	{ "vocalengineer", "engineer" },
	{ "overdubengineer", "engineer" },
	{ "projectengineer", "engineer" },
	{ "tonmeister", "engineer" },
	{ "programmer", "programmer" },
	{ "programming", "programmer" },
	{ "programmedby", "programmer" },
	{ "programmingengineer", "programmer" },
	{ "additionalprogrammingengineer", "programmer" },
	{ "drumprogrammer", "programmer" },
	{ "publisher", "publisher" },
	{ "publishers", "publisher" },
	{ "publishedby", "publisher" },
	{ "publishing", "publisher" },
	{ "musicpublisher", "publisher" },
	{ "originalpublisher", "publisher" },
	{ "subpublisher", "publisher" },
	{ "substitutedpublisher", "publisher" },
};
const size_t vocab_roles_count = COUNT(vocab_roles);

/* ---- Instrument categories ---- */

/*
 * Every DDEX InstrumentType value of ERN 4.3 and 4.1.1 that belongs to a
 * category, in DDEX's spelling (matched through squash()).  The families
 * follow the order of the 4.3 allowed-value set, with these decisions:
 * - DDEX's wind family is split into brass (lip-vibrated, including
 *   Didgeridoo, ConchShell, Cornetto, Serpent) and woodwinds (flutes,
 *   reeds, bagpipes, harmonicas); Regal and Calliope (keyboards) -> keys.
 * - Accordions, organs, pianos and keyboards -> keys; Musette (a bagpipe)
 *   -> woodwinds.
 * - Drum-kit pieces (kick, snare, hi-hat, crash/ride cymbals, toms,
 *   sticks, brushes) and drum machines -> drums; the rest of DDEX's
 *   percussion family (hand drums, mallets, orchestral cymbals) ->
 *   percussion.
 * - DoubleBass -> bass, like UprightBass; other bowed strings -> strings.
 * - 4.1.1's synthesizer models, samplers and wind controllers -> synth,
 *   as DDEX defines them ("Synthesizer-..."); sound effects, turntables,
 *   looping -> fx; voices, choirs -> vocals.
 * - Not mapped (vocab_ddex_no_category): ensembles (Orchestra, Quartet,
 *   RockBand ...), Comb, Kazoo, OtherInstrument, ToyInstrument, Unknown,
 *   UserDefined.
 */
const struct vocab_instrument_family vocab_ddex_instruments[] = {
	{ "synth",
	  "ArpeggiatingSynth SynthBass SynthBrass SynthChoir SynthFX "
	  "SynthLead SynthPad SynthSteelDrums SynthStrings Synthesizer "
	  "Omnichord SpectrasonicsOmnisphere AkaiMPC1000 AkaiS1000 "
	  "AnalogueSynthesizer ArpSolinaStringEnsemble BaldwinFunMachine "
	  "BassPedals ClaviaNordLead ComputermusicSynthesis "
	  "DigitalSynthesizer Doepfer ElectronicBagpipes "
	  "ElectronicWindInstrument Electronium EmsVSC3 FairlightCMI "
	  "KeyboardController KorgMS10 KorgMicrokorg KorgTrident Lyricon Moog "
	  "MoogMinimoog MoogPolymoog MoogRogue MoogVoyager Novachord "
	  "NovationBassStation Oberheim OndesMartenot RolandJuno RolandJuno60 "
	  "RolandJupiter8 RolandParaphonicStringsRS505 RolandTB303 "
	  "SampleSequencer Sampler SequentialCircuitsProphet5 "
	  "SoftwareSynthesizer StringMachine Stylophone Synclavier Theremin "
	  "YamahaCS80 YamahaQY70" },
	{ "drums",
	  "DrumMachine Breakbeat DrumKit DrumSample BassDrum(Kick) "
	  "Cymbal(Crash) Cymbal(Ride) HiHatCymbal SnareDrum Toms DrumSticks "
	  "Octoban Rototoms AnalogueDrumMachine Brushes ChinaCymbal "
	  "CrashCymbal DrumController DrumKat FloorToms GrooveBox KickDrum "
	  "RideCymbal RolandTR808 RolandVDrums SampledDrumMachine "
	  "SplashCymbal StarInstrumentsSynare Syncussion Syndrums" },
	{ "bass",
	  "AcousticBassGuitar BabyBass Bass ElectricBassGuitar "
	  "FretlessBassGuitar PiccoloBass UprightBass WashtubBass DoubleBass "
	  "ArcoAcousticBass BassGuitar Electric5StringBass "
	  "Electric6StringBass ElectricUprightBass FenderBass FenderJazzBass "
	  "FenderPrecisionBass HofnerBass KeyboardBass" },
	{ "guitar",
	  "12-StringElectricGuitar 12-StringGuitar AcousticGuitar "
	  "BahianGuitar BajoSexto BaritoneGuitar BaroqueGuitar ChapmanStick "
	  "NylonStringGuitar DobroGuitar ElectricGuitar ElectricSitar "
	  "FryingPanGuitar Guitar Guitarron LapSteelGuitar Pedabro "
	  "PedalSteelGuitar PortugueseGuitar RenaissanceGuitar RomanticGuitar "
	  "TenorGuitar Tiple TouchGuitar Tres ViolaCaipira "
	  "ElectricSlideGuitar FenderJazzmaster FenderStratocaster "
	  "FenderTelecaster GibsonFirebird GibsonLesPaul GibsonSG GuitarSynth "
	  "HawaiianLapSteelGuitar InfiniteGuitar MoogGuitar SlideGuitar "
	  "TacomaPaposeAcousticGuitar" },
	{ "vocals",
	  "GroupBackgroundVocalists BoyVoice ChildVoice "
	  "ChildrensBackgroundVocalist FemaleVoice FemaleBackgroundVocalist "
	  "GirlVoice LeadVocalist MaleVoice MaleBackgroundVocalist MixedVoice "
	  "MixedBackgroundVocalist NeutralVoice Voice Choir AltoVoice "
	  "BaritoneVoice BassBaritoneVoice BassVoice ChildrensChoir "
	  "ContrabassVoice ContraltoVoice CountertenorVoice FemaleChoir "
	  "HighVocalRegister LowVocalRegister MaleChoir MediumVocalRegister "
	  "MezzoSopranoVoice MixedChoir PiccoloVoice SopraninoVoice "
	  "SopranoVoice Tenor VocalAccompaniment VocalEnsemble" },
	{ "keys",
	  "Accordion Bandoneon ChromaticButtonAccordion Concertina Cordovox "
	  "Melodeon PianoAccordion ToyAccordion AcousticKeyboard Celesta "
	  "Chamberlin Clavichord Clavinet Dulcitone ElectricPiano Harpsichord "
	  "Keyboard Mellotron Optigan Pianet Rhodes SampledKeyboard Spinet "
	  "VakoOrchestron Virginals ElectricOrgan HammondOrgan LowreyOrgan "
	  "Organ PipeOrgan PositiveOrgan PumpOrgan Fortepiano GrandPiano "
	  "Lutheal Piano PianoHarp Pianola PreparedPiano SquarePiano "
	  "TackPiano UprightPiano BarrelOrgan HohnerGuitaret ToyPiano Regal "
	  "Calliope AcousticPiano Bontempi CrumarRoadrunner2 "
	  "DiatonicButtonAccordion Farfisa HammondB3 HammondC3 Harmonium "
	  "ReedOrgan StringedKeyboardInstrument VoxContinental Wurlitzer200A "
	  "WurlitzerElectricPiano WurlitzerOrgan YamahaCP80" },
	{ "strings",
	  "5-StringBanjo AfricanHarp AltoViol AndeanHarp ArchLute Autoharp "
	  "Baglama Balalaika Bandura Bandurria Banhu Banjo BanjoGuitar "
	  "Banjolin BaroqueCello BaroqueViola BaroqueViolin Baryton BassBanjo "
	  "BassCittern BassRebec BassViol BassoDaBraccio Biwa Bouzouki "
	  "BowedStrings Bozoq BufoBass Cavaquinho Cello CelloBanjo CelticHarp "
	  "Charango Cimbalom Citole Cittern ConcertHarp Craviola Crwth Cuatro "
	  "Cumbus DanBau DanTranh Dilruba Dombra Domra DoubleHarp "
	  "DoubleViolin DoublebassViol Dranyen Dutar Dzuddahord Ektara "
	  "Electric6StringViolin ElectricCello ElectricHarp ElectricMandolin "
	  "ElectricViola ElectricViolin ElectroAcousticHurdyGurdy Ennanga "
	  "EpinetteDesVosges Erhu Esraj Fiddle FolkHarp Gadulka Gardon "
	  "Gayageum Ghaychak Gittern Guqin Gusli Guzheng Haegeum "
	  "HammeredDulcimer HammeredStrings HardangerFiddle Harp Huapanguera "
	  "HurdyGurdy IrishBouzouki Jakhay JaranaJarocha Jinghu Kacapi "
	  "Kantele Kanun Kemenche Khim Kora Koto Kugo Langeleik Laouto Leona "
	  "Lirone Lute LyraViol Lyre Mandocello Mandola Mandolele Mandolin "
	  "Mandolino Mandore Marxophone MedievalFiddle MedievalHarp "
	  "MohanVeena MusicalBow Ngoni Njarka Nyatiti Nyckelharpa Organistrum "
	  "Orpharion Oud Pandura ParaguayanHarp Phin Phonofiddle Pipa "
	  "PluckedDulcimer PluckedStrings Psaltery Rabel Rebab Rebec Santoor "
	  "Sarangi Sarod Saung SawDuang Shamisen Simsimiyya Sintir Sitar "
	  "SopranoDomra StringInstrument StrohlViolin Surbahar Swarmandal "
	  "Tambura Tanbour Tanpura Tar(String) TenorBanjo TenorRebec "
	  "TenorViol Theorbo Timple TogamanGuitarViol TrebleRebec TrebleViol "
	  "TrombaMarina Tumbi Tzouras Ukulele Valiha Veena VenezuelanHarp "
	  "VeracruzHarp ViTar VichitraVeena Vielle Vihuela Viol Viola "
	  "ViolaDAmore ViolaPomposa Violin ViolinoPiccolo WelshTripleHarp "
	  "WireStrungHarp Xalam Yangqin YayliTambur Yokin Yueqin Zeze Zhonghu "
	  "Zither StringSection Drehleier Kokin Strumstick VenezualanHarp "
	  "ViolaDaBraccio ViolaDaGamba" },
	{ "brass",
	  "Alpenhorn AltoHorn AltoSackbut AltoTrombone BaritoneHorn "
	  "BassSackbut BassTrombone BassTrumpet BassTuba BrassInstrument "
	  "Bugle Cimbasso ClarinoTrumpet ConchShell ContrabassTrombone Cornet "
	  "Cornetto Didgeridoo Dungchen Euphonium Fiscorn Flugelhorn "
	  "FrenchHorn Helicon HeraldTrumpet Jagdhorn KeyedTrumpet Lur "
	  "Mellophone NaturalHorn NaturalTrumpet Ophicleide PiccoloTrumpet "
	  "PocketTrumpet PostHorn Sackbut Serpent Shofar SlideTrumpet "
	  "SopranoCornet SopranoTrumpet Sousaphone TenorSackbut TenorTrombone "
	  "Trombone Trumpet Tuba ValveTrombone Vuvuzela WagnerTuba "
	  "WoodTrumpet AppomatoxBugle BrassBand BrassSection TenorHorn "
	  "TenorTuba" },
	{ "woodwinds",
	  "Alboka AltoClarinet AltoCrumhorn AltoFlute AltoRecorder "
	  "AltoSaxophone AltoShawm Apito Arghul Aulochrome Bagpipes Bansuri "
	  "BaritoneOboe BaritoneSaxophone BaroqueBassoon BaroqueClarinet "
	  "BaroqueFlute BaroqueOboe BaroqueRecorder BassClarinet BassDulcian "
	  "BassFlute BassHarmonica BassRecorder BassSaxophone BassShawm "
	  "BassetClarinet BassetHorn Bassoon Bawu BirdWhistle Bombard "
	  "BosunsWhistle Chalumeau ChromaticHarmonica Clarinet "
	  "ContraAltoClarinet ContrabassClarinet ContrabassRecorder "
	  "ContrabassSarrusophone ContrabassSaxophone Contrabassoon Crumhorn "
	  "Daegeum Diple Dizi Duduk Dulcian EnglishHorn Fife Flabiol "
	  "Flageolet Floyera Flute Fujara Gasba Gemshorn GermanFlute Ghaita "
	  "GreatBassRecorder Guanzi Gyaling Harmonica Heckelphone "
	  "HighlandPipes HotFountainPen IrishLowWhistle Kaval Khene Khlui "
	  "Launeddas Melodica Mijwiz MiniatureKhene Mizmar MouthOrgan "
	  "Nadaswaram Nai NativeAmericanFlute NeyFlute Oboe OboeDAmore "
	  "OboeDaCaccia Ocarina Paixiao PanFlute Pi PiccoloClarinet "
	  "PiccoloFlute Pinkillu PoliceWhistle Pungi Quena Quenacho Rackett "
	  "Rauschpfeife Recorder ReedInstrument Rondador Sarrusophone "
	  "Saxophone Shakuhachi Shawm Shenai Shelltone Sheng Sho ShrutiBox "
	  "ShviWhistle Siku SlideSaxophone SlideWhistle SopraninoRecorder "
	  "SopraninoSaxophone SopranoClarinet SopranoCrumhorn SopranoDulcian "
	  "SopranoRecorder SopranoSaxophone SopranoShawm Sordun Suling Suona "
	  "Tarka Tarogato TenorCrumhorn TenorDulcian TenorFlute TenorRecorder "
	  "TenorSaxophone TenorShawm TinWhistle Tusselfloyte UilleanPipes "
	  "WillowFlute WindInstrument WoodFlute Wot Xaphoon Xiao Xun Zummara "
	  "Zurna Musette WindSection LakotaLoveFlute Manzello Melodian Pipe "
	  "Saxello Stritch TenorClarinet TraversoFlute WoodwindInstrument "
	  "WoodwindSection Zampona Zourna Zurla" },
	{ "percussion",
	  "AfricanPercussion AgogoBells Angklung Anvil Atumpan Balafon "
	  "BassDrum(Concert) Bata BellTree Bendir Berimbau BinghiDrum Bodhran "
	  "BodyPercussion Bombo BomboLeguero Bones Bongos Bottles "
	  "BrazilianPercussion Cabasa Caixa Caja Cajon Calabash Carillon "
	  "Castanet Caxixi Chimes Chocalho Clapstick Claves Claypot Congas "
	  "Cowbell Crotales Cuica Cymbal(Suspended) Cymbals Daf Damaru Davul "
	  "Dayereh Defi Dhol Dholak Djembe Dohol Doumbek Duggi Dunun "
	  "ElephantBell FingerClicks FingerCymbals FingerSnaps Flexatone "
	  "FolkloricPercussion FootStomp Frog Gambang Gamelan Ganga "
	  "GlassHarmonica GlassHarp Glockenspiel Gong Guacharaca Guache Guira "
	  "Guiro HandBells HandChimes HandClaps JamBlock Jawbone Jawharp Jug "
	  "Kanjira Katsa Kendang Khamak Khartal Khol KhongWongLek "
	  "KhongWongYai Knuckles LatinPercussion Lithophone Lokole Madal "
	  "Maracas Marimba Marimbaphone Marimbula Mazhar Kalimba MetalCans "
	  "MouthPercussion Mridangam Muharsing Naal Nagara OboromDrum "
	  "OrchestralPercussion PaddleDrums Pandeiro PercussionInstrument "
	  "PitchedPercussionInstrument PongLang PotsAndPans Qarkabeb "
	  "Rainstick Ranat Ratchet Rattle RecoReco Repinique RhythmStick Riq "
	  "Rnga Rolmo Sabar SandBlocks Saw Scratcher Shaker Shekere "
	  "SingingBowls Sistrum Slapstick SleighBells SnareDrum(Marching) "
	  "Spoons SpringDrum SteelDrums Sticks Surdo Taal Taarija Tabla Tabor "
	  "Taiko TalkingDrum Tambora Tamborim Tambourine TaongaPuoro "
	  "Tar(Percussion) Tarol TempleBell TempleBlocks TenorDrum Thavil "
	  "ThunderSheet TibetanBells Timbales Timbau Timpani Tingsha Tompak "
	  "TongueDrum Triangle Txalaparta Udu UliUli "
	  "UnpitchedPercussionInstrument Urumee Vibraphone Vibraslap "
	  "Washboard Waterphone WindChimes WindMachine WobbleBoard WoodBlock "
	  "Xylophone Xylorimba Zerbaghali ZydecoRubboard ChurchBells MusicBox "
	  "JewsHarp PercussionSection ChiryaTarang Manjira Metallophone "
	  "MixedPercussion Palmas RolandHandsonicHPD15 TibetanBowls "
	  "TubularBells WineGlasses" },
	{ "fx",
	  "AnimalSounds Applause BirdSong CarSounds Chatter ChewingSounds "
	  "Gizmo Gunshots MagneticTapeTreatments OrchestralHit RecordNoise "
	  "Siren SoundDesign SoundEffects TrainSounds Treatments "
	  "UnintendedArtifacts BicyclePump Dictophone Turntable DjScratching "
	  "Frippertronics Looping" },
};
const size_t vocab_ddex_instruments_count = COUNT(vocab_ddex_instruments);

/*
 * DDEX values that name no instrument of one category: never guessed from
 * the keywords below (PipeAndDrumGroup is not drums).
 */
const char vocab_ddex_no_category[] =
	"BigBand ChamberOrchestra Comb CountryGroup Dectet Duet "
	"ElectronicGroup FolkGroup JazzBand Kazoo LatinGroup MarchingBand "
	"MechanicalInstrument MilitaryBand Nonet Octet Orchestra "
	"OtherInstrument PipeAndDrumGroup PopBand Quartet Quintet RockBand "
	"Septet Sextet ToyInstrument Trio Unknown UserDefined";

/* Free-text words and spellings, squash()ed; tried before the DDEX table. */
const struct vocab_alias vocab_instrument_words[] = {
	{ "synth", "synth" },		{ "synths", "synth" },
	{ "synthesiser", "synth" },	{ "synthesisers", "synth" },
	{ "synthesizers", "synth" },	{ "drum", "drums" },
	{ "drums", "drums" },		{ "drumset", "drums" },
	{ "kick", "drums" },		{ "snare", "drums" },
	{ "hihat", "drums" },		{ "hats", "drums" },
	{ "basses", "bass" },		{ "bassline", "bass" },
	{ "guitars", "guitar" },	{ "gtr", "guitar" },
	{ "vocal", "vocals" },		{ "vocals", "vocals" },
	{ "vox", "vocals" },		{ "voices", "vocals" },
	{ "vocalist", "vocals" },	{ "vocalists", "vocals" },
	{ "singer", "vocals" },		{ "singing", "vocals" },
	{ "key", "keys" },		{ "keys", "keys" },
	{ "keyboards", "keys" },	{ "pianos", "keys" },
	{ "organs", "keys" },		{ "epiano", "keys" },
	{ "string", "strings" },	{ "strings", "strings" },
	{ "brass", "brass" },		{ "horn", "brass" },
	{ "horns", "brass" },		{ "hornsection", "brass" },
	{ "woodwind", "woodwinds" },	{ "woodwinds", "woodwinds" },
	{ "wind", "woodwinds" },	{ "winds", "woodwinds" },
	{ "reeds", "woodwinds" },	{ "perc", "percussion" },
	{ "percussion", "percussion" },	{ "percussions", "percussion" },
	{ "fx", "fx" },			{ "sfx", "fx" },
	{ "effects", "fx" },		{ "effect", "fx" },
	{ "foley", "fx" },		{ "riser", "fx" },
	{ "risers", "fx" },		{ "sweep", "fx" },
	{ "sweeps", "fx" },		{ "impact", "fx" },
	{ "impacts", "fx" },		{ "noise", "fx" },
};
const size_t vocab_instrument_words_count = COUNT(vocab_instrument_words);

/*
 * Last resort for free text such as "analog synth" or "lead vocals": the
 * first of these words found inside the squash()ed text.  The order
 * matters ("bassdrum" before "bass" and "drum", "sax" before "bass").
 */
const struct vocab_alias vocab_instrument_keywords[] = {
	{ "bassdrum", "drums" },	{ "bassguitar", "bass" },
	{ "synth", "synth" },		{ "vocal", "vocals" },
	{ "voice", "vocals" },		{ "choir", "vocals" },
	{ "singer", "vocals" },		{ "vox", "vocals" },
	{ "guitar", "guitar" },		{ "piano", "keys" },
	{ "organ", "keys" },		{ "keyboard", "keys" },
	{ "rhodes", "keys" },		{ "wurli", "keys" },
	{ "violin", "strings" },	{ "viola", "strings" },
	{ "cello", "strings" },		{ "fiddle", "strings" },
	{ "harp", "strings" },		{ "string", "strings" },
	{ "trumpet", "brass" },		{ "trombone", "brass" },
	{ "tuba", "brass" },		{ "horn", "brass" },
	{ "brass", "brass" },		{ "sax", "woodwinds" },
	{ "flute", "woodwinds" },	{ "clarinet", "woodwinds" },
	{ "oboe", "woodwinds" },	{ "bassoon", "woodwinds" },
	{ "whistle", "woodwinds" },	{ "woodwind", "woodwinds" },
	{ "percussion", "percussion" },	{ "shaker", "percussion" },
	{ "conga", "percussion" },	{ "bongo", "percussion" },
	{ "tambourine", "percussion" },	{ "clap", "percussion" },
	{ "bass", "bass" },		{ "drum", "drums" },
	{ "kick", "drums" },		{ "snare", "drums" },
	{ "hihat", "drums" },		{ "cymbal", "drums" },
	{ "808", "drums" },		{ "fx", "fx" },
	{ "effect", "fx" },
};
const size_t vocab_instrument_keywords_count = COUNT(vocab_instrument_keywords);

/* ---- ID3 genres ---- */

/*
 * ID3v1 genres 0-79 and the Winamp extensions 80-191, with the spellings
 * TagLib uses (it modernised a few: 29 Jazz-Funk, 81 Folk Rock, 85 Bebop,
 * 90 Avant-garde, 125 Dancehall, 129 Hardcore Techno, 132 Britpop;
 * 133, an offensive name in Winamp's list, is Worldbeat there).
 */
const char *const vocab_id3_genres[192] = {
	/* 0 */ "Blues", "Classic Rock", "Country", "Dance", "Disco", "Funk",
	"Grunge", "Hip-Hop", "Jazz", "Metal",
	/* 10 */ "New Age", "Oldies", "Other", "Pop", "R&B", "Rap", "Reggae",
	"Rock", "Techno", "Industrial",
	/* 20 */ "Alternative", "Ska", "Death Metal", "Pranks", "Soundtrack",
	"Euro-Techno", "Ambient", "Trip-Hop", "Vocal", "Jazz-Funk",
	/* 30 */ "Fusion", "Trance", "Classical", "Instrumental", "Acid",
	"House", "Game", "Sound Clip", "Gospel", "Noise",
	/* 40 */ "Alternative Rock", "Bass", "Soul", "Punk", "Space",
	"Meditative", "Instrumental Pop", "Instrumental Rock", "Ethnic",
	"Gothic",
	/* 50 */ "Darkwave", "Techno-Industrial", "Electronic", "Pop-Folk",
	"Eurodance", "Dream", "Southern Rock", "Comedy", "Cult", "Gangsta",
	/* 60 */ "Top 40", "Christian Rap", "Pop/Funk", "Jungle",
	"Native American", "Cabaret", "New Wave", "Psychedelic", "Rave",
	"Showtunes",
	/* 70 */ "Trailer", "Lo-Fi", "Tribal", "Acid Punk", "Acid Jazz",
	"Polka", "Retro", "Musical", "Rock & Roll", "Hard Rock",
	/* 80 */ "Folk", "Folk Rock", "National Folk", "Swing", "Fast Fusion",
	"Bebop", "Latin", "Revival", "Celtic", "Bluegrass",
	/* 90 */ "Avant-garde", "Gothic Rock", "Progressive Rock",
	"Psychedelic Rock", "Symphonic Rock", "Slow Rock", "Big Band",
	"Chorus", "Easy Listening", "Acoustic",
	/* 100 */ "Humour", "Speech", "Chanson", "Opera", "Chamber Music",
	"Sonata", "Symphony", "Booty Bass", "Primus", "Porn Groove",
	/* 110 */ "Satire", "Slow Jam", "Club", "Tango", "Samba", "Folklore",
	"Ballad", "Power Ballad", "Rhythmic Soul", "Freestyle",
	/* 120 */ "Duet", "Punk Rock", "Drum Solo", "A Cappella", "Euro-House",
	"Dancehall", "Goa", "Drum & Bass", "Club-House", "Hardcore Techno",
	/* 130 */ "Terror", "Indie", "Britpop", "Worldbeat", "Polsk Punk",
	"Beat", "Christian Gangsta Rap", "Heavy Metal", "Black Metal",
	"Crossover",
	/* 140 */ "Contemporary Christian", "Christian Rock", "Merengue",
	"Salsa", "Thrash Metal", "Anime", "Jpop", "Synthpop", "Abstract",
	"Art Rock",
	/* 150 */ "Baroque", "Bhangra", "Big Beat", "Breakbeat", "Chillout",
	"Downtempo", "Dub", "EBM", "Eclectic", "Electro",
	/* 160 */ "Electroclash", "Emo", "Experimental", "Garage", "Global",
	"IDM", "Illbient", "Industro-Goth", "Jam Band", "Krautrock",
	/* 170 */ "Leftfield", "Lounge", "Math Rock", "New Romantic",
	"Nu-Breakz", "Post-Punk", "Post-Rock", "Psytrance", "Shoegaze",
	"Space Rock",
	/* 180 */ "Trop Rock", "World Music", "Neoclassical", "Audiobook",
	"Audio Theatre", "Neue Deutsche Welle", "Podcast", "Indie Rock",
	"G-Funk", "Dubstep",
	/* 190 */ "Garage Rock", "Psybient"
};

/* ---- Arrangement section names ---- */

/* Names spelled with a hyphen, squash()ed; other names are kept lower-cased. */
const struct vocab_alias vocab_section_names[] = {
	{ "prechorus", "pre-chorus" },
	{ "postchorus", "post-chorus" },
	{ "buildup", "build-up" },
};
const size_t vocab_section_names_count = COUNT(vocab_section_names);
