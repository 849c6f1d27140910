/**
 * @data The lyrics theme vocabulary: what songs are about, as words a query uses and as prototype lines the model
 * compares lyrics with.
 *
 * Provenance and rationale: hand-written for this project (issue 13). The issue names love, heartbreak, partying,
 * the sea and death; the rest are topics that recur across popular-song lyrics and that a listener asks for by name
 * ("songs about drinking", "Christmas songs"), kept apart enough that the model tells them apart. Prototypes are
 * short lyric-like lines plus one plain "a song about ..." line: lyrics vectors sit nearer lyric-like text than a
 * bare word. Thresholds were measured with all-MiniLM-L6-v2 on 200 rows of the Million Song Dataset slice
 * (../shared/data/spotify_millsongdata_PARTIAL_first2000.csv.gz): a theme's similarity to lyrics runs from about 0.1
 * (p10) to 0.5 (p90), the best theme of a song about a topic is 0.45-0.7, a song about nothing in particular has
 * no theme above 0.3.
 */

export interface Theme {
  /** The theme word shown in results ("lyrics: heartbreak") and stored per track. */
  name: string;
  /** Query words for it (normalized as queries are: lower case, no apostrophes), singular and plural. */
  words: string[];
  /** Lines whose mean vector stands for the theme. */
  prototypes: string[];
}

/** Changing the vocabulary or the thresholds changes this, so enrichment derives every track's themes again. */
export const THEME_VOCABULARY_VERSION = "1";

/** A theme is a track's when its similarity is at least this... */
export const THEME_MIN_SIMILARITY = 0.3;
/** ...and within this of the track's best theme (a song about love is not also about everything love is near). */
export const THEME_MARGIN = 0.06;
/** At most this many themes per track. */
export const MAX_THEMES = 3;

export const THEMES: readonly Theme[] = [
  {
    name: "love",
    words: ["love", "being in love", "falling in love", "romance", "romantic love", "love songs"],
    prototypes: [
      "I love you, my darling, you're the one for me",
      "our love is true and my heart belongs to you",
      "a love song: I'm in love with you",
    ],
  },
  {
    name: "heartbreak",
    words: [
      "heartbreak",
      "heartache",
      "broken heart",
      "broken hearts",
      "a broken heart",
      "breakup",
      "breakups",
      "break up",
      "break ups",
      "breaking up",
      "being dumped",
    ],
    prototypes: [
      "you broke my heart and walked away, now I'm crying alone",
      "it's over between us, you left me and my heart is broken",
      "a song about heartbreak and a painful breakup",
    ],
  },
  {
    name: "longing",
    words: ["longing", "yearning", "missing someone", "missing you"],
    prototypes: [
      "I miss you so much, I wish you were here with me",
      "waiting for you to come back to me, I long for you",
    ],
  },
  {
    name: "partying",
    words: ["partying", "party", "parties", "the party", "clubbing", "going out", "dancing all night"],
    prototypes: [
      "let's party all night, dance and drink until the morning",
      "everybody on the dance floor, the party's just begun",
      "a party song about dancing at the club",
    ],
  },
  {
    name: "desire",
    words: ["desire", "lust", "sex", "seduction"],
    prototypes: ["your body next to mine, I want you tonight", "a sexy song about lust and desire"],
  },
  {
    name: "the sea",
    words: [
      "the sea",
      "sea",
      "seas",
      "the ocean",
      "ocean",
      "oceans",
      "sailing",
      "sailors",
      "the waves",
      "waves",
    ],
    prototypes: [
      "sailing on the ocean, waves crashing on the shore",
      "the sea, the tide and the sailors far from land",
      "a song about the sea and the ocean",
    ],
  },
  {
    name: "death",
    words: ["death", "dying", "grief", "mourning", "funerals", "losing someone"],
    prototypes: [
      "he died and now he's buried in his grave",
      "death is coming, we all must die, rest in peace",
      "a song about death, dying and grief",
    ],
  },
  {
    name: "war",
    words: ["war", "wars", "battle", "battles", "soldiers"],
    prototypes: [
      "soldiers marching into battle, guns and bombs of war",
      "a song about war, fighting and killing",
    ],
  },
  {
    name: "faith",
    words: ["faith", "god", "religion", "jesus", "prayer", "heaven"],
    prototypes: ["praise the Lord, Jesus is my saviour, God in heaven", "a song about faith, prayer and God"],
  },
  {
    name: "money",
    words: ["money", "wealth", "being rich", "getting rich", "fame"],
    prototypes: ["money, cash and diamonds, I'm rich and famous", "a song about money and wealth"],
  },
  {
    name: "drinking",
    words: ["drinking", "alcohol", "booze", "whiskey", "beer", "getting drunk"],
    prototypes: [
      "pour me another drink, whiskey and beer at the bar",
      "a song about drinking alcohol and getting drunk",
    ],
  },
  {
    name: "drugs",
    words: ["drugs", "getting high", "weed", "cocaine"],
    prototypes: ["getting high on drugs, smoking weed and cocaine"],
  },
  {
    name: "loneliness",
    words: ["loneliness", "being alone", "being lonely", "solitude"],
    prototypes: [
      "I'm all alone, nobody cares, so lonely every night",
      "a song about loneliness and being alone",
    ],
  },
  {
    name: "freedom",
    words: ["freedom", "rebellion", "being free", "breaking free"],
    prototypes: ["break the chains, I'm free, nobody can hold me down", "a song about freedom and rebellion"],
  },
  {
    name: "hope",
    words: ["hope", "courage", "not giving up", "perseverance"],
    prototypes: ["don't give up, tomorrow will be better, keep holding on", "a song of hope and courage"],
  },
  {
    name: "nostalgia",
    words: ["nostalgia", "memories", "the past", "the good old days", "growing up"],
    prototypes: ["I remember the old days when we were young", "a song about memories and the past"],
  },
  {
    name: "home",
    words: ["home", "family", "going home", "coming home"],
    prototypes: ["going back home to my family and the place I grew up", "a song about home and family"],
  },
  {
    name: "travel",
    words: ["travel", "travelling", "traveling", "the road", "road trips", "the open road", "trains"],
    prototypes: [
      "on the road again, driving down the highway, moving on",
      "a song about travelling and the open road",
    ],
  },
  {
    name: "the night",
    words: ["the night", "night", "nighttime", "the moon", "the stars"],
    prototypes: ["under the moon and stars in the middle of the night"],
  },
  {
    name: "summer",
    words: ["summer", "summertime", "the summer", "the beach"],
    prototypes: ["summer sun, hot days at the beach"],
  },
  {
    name: "christmas",
    words: ["christmas", "the holidays", "santa"],
    prototypes: [
      "Christmas time, snow is falling, Santa Claus and presents under the tree",
      "a Christmas song",
    ],
  },
  {
    name: "dreams",
    words: ["dreams", "dreaming"],
    prototypes: ["dreaming of a better life, chasing my dreams"],
  },
  {
    name: "protest",
    words: ["protest", "politics", "injustice", "revolution", "social justice"],
    prototypes: [
      "the government lies, people rise up in protest",
      "a protest song about politics and injustice",
    ],
  },
  {
    name: "violence",
    words: ["violence", "murder", "killing", "crime", "guns"],
    prototypes: ["kill them all, blood on the streets, gun in my hand"],
  },
  {
    name: "friendship",
    words: ["friendship", "friends", "best friends"],
    prototypes: [
      "you're my best friend, we stick together through thick and thin",
      "a song about friendship",
    ],
  },
  {
    name: "nature",
    words: ["nature", "the mountains", "mountains", "rivers", "the wind", "the weather"],
    prototypes: ["the wind in the trees, mountains, rivers and the open sky", "a song about nature"],
  },
];

export function themeByName(name: string): Theme | undefined {
  return THEMES.find((t) => t.name === name);
}
