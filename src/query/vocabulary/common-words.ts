/**
 * @data Common English words: a one-word artist whose name is one of these ("Energy", "Heart", "Queen", "Ghost")
 * is taken as the artist only with a cue ("by Queen", "Heart songs", a quoted "Energy", the name alone).
 *
 * Provenance: hand-written for this project (no external list was copied): everyday nouns, adjectives and verbs,
 * grouped by theme, with weight on the words that song queries use and that artists take as names. Words are in
 * the planner's normalized form (lower case, no apostrophes). Add words here; the planner's phrase table and
 * stopwords count as vocabulary without being listed.
 */
const GROUPS: readonly string[] = [
  // Nature, weather, places.
  "air angel ash autumn beach bird birds blue bloom blossom breeze cloud clouds coast cold desert dawn dusk dust " +
    "earth echo fall field fields fire flame flower flowers fog forest frost garden glacier grass harbor hill hills " +
    "ice island lake land leaf light lightning moon mountain mountains mist nature night ocean palm rain rainbow " +
    "river rivers road rock rose sand sea season shadow shadows shore sky snow spring star stars stone storm summer " +
    "sun sunrise sunset sunshine thunder tide tree trees valley water waves weather wind winter wood woods world",
  // People, roles, family.
  "baby boy boys brother brothers child children crew daughter family father friend friends girl girls king kings " +
    "lady lord man men mother people prince princess queen sister sisters son stranger strangers woman women youth " +
    "hero heroes lover lovers doctor teacher soldier soldiers sailor pilot hunter captain chief boss saint saints " +
    "devil ghost ghosts monster monsters witch wizard giant giants pirate pirates poet prophet preacher thief",
  // Body, mind, feeling.
  "blood body bone bones brain breath eye eyes face hand hands head heart hearts mind skin smile soul souls spirit " +
    "tears voice anger desire dream dreams faith fear freedom glory grace hate hope joy kiss lust memory memories " +
    "mercy pain passion peace pride rage silence sorrow truth trust wonder wish energy power force strength",
  // Things, materials, colours.
  "bell bells book box bread bridge car cars chain chains clock coin crown diamond diamonds door gold gun guns " +
    "house iron key knife machine mirror money paper pearl phone picture radio ring rope ship silver steel sugar " +
    "sword table train wall walls wheel window wine glass honey candy cherry apple lemon orange pepper salt smoke " +
    "black white red green yellow purple pink brown grey gray violet crystal velvet marble neon plastic rubber",
  // Time, events, abstract.
  "age day days end era future history hour life moment morning past present second time today tomorrow week " +
    "year years yesterday birth death war battle game games party show story stories secret secrets sign signal " +
    "space home city town street streets country nation empire kingdom heaven hell paradise planet universe",
  // Common adjectives.
  "alive alone bad beautiful big bitter bright broken busy calm clean clear close cool crazy cruel cute dead deep " +
    "dirty dry easy empty evil fair fake fine free fresh full funny gentle golden grand half hard heavy high holy " +
    "honest hot huge kind large last late lazy little live lonely long lost loud low lucky mad modern new nice " +
    "old open perfect poor pretty pure quiet rare real rich right rough round royal rude safe sharp short shy " +
    "sick silent simple slow small smooth soft solid sour strange strong sweet tall thin tiny tired true ugly " +
    "warm weak weird wet wide wild wise wrong young",
  // Common verbs.
  "believe break breathe burn call carry change climb come cry dance dive drive drop eat escape fade fall fight " +
    "fly follow forget go grow hold hunt jump kill know laugh leave let live look lose make move pray push rise " +
    "run rush say scream see shake shine shout sing sink sleep smile speak stand stay stop swim take talk think " +
    "throw touch try turn wait wake walk want watch win work write",
  // Music words that are also names.
  "band beat beats bass drum drums guitar piano harp horn choir chorus rhythm melody harmony song anthem " +
    "record records vinyl tape mix remix sound noise static",
];

export const COMMON_WORDS: ReadonlySet<string> = new Set(GROUPS.flatMap((g) => g.split(" ")));
