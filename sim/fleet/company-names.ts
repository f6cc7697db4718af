// Vocabulary for believable small-business customers of an Odoo SaaS.
import type { Rng } from "./prng";

const PREFIXES = [
  "northwind",
  "bluepeak",
  "cedar",
  "silverline",
  "redwood",
  "oakridge",
  "brightwater",
  "ironbridge",
  "greenfield",
  "stonegate",
  "harborview",
  "lakeside",
  "sunrise",
  "pinecrest",
  "goldleaf",
  "riverbend",
  "clearview",
  "highland",
  "westbrook",
  "eastgate",
  "maplewood",
  "fairway",
  "crescent",
  "evergreen",
  "blackstone",
  "whitehall",
  "copperfield",
  "meadow",
  "aurora",
  "polaris",
  "zenith",
  "horizon",
  "summitview",
  "bayshore",
  "willow",
  "falcon",
  "kestrel",
  "heron",
  "juniper",
  "alder",
  "birch",
  "granite",
  "quarry",
  "lighthouse",
  "anchor",
  "compass",
  "keystone",
  "cornerstone",
  "vanguard",
  "pioneer",
  "frontier",
  "nordic",
  "alpine",
  "coastal",
  "prairie",
  "canyon",
  "mesa",
  "delta",
  "vertex",
  "nimbus",
  "solstice",
  "equinox",
  "tidewater",
  "windmill",
  "orchard",
  "vineyard",
  "saffron",
  "indigo",
  "cobalt",
  "amber",
  "emerald",
  "sapphire",
  "ivory",
  "onyx",
  "ruby",
  "jade",
  "hawthorn",
  "larch",
  "rowan",
  "thistle",
  "clover",
  "fern",
  "moss",
  "briar",
  "linden",
  "poplar",
];

const TRADES = [
  "trading",
  "logistics",
  "consulting",
  "dental",
  "bakery",
  "brewing",
  "furniture",
  "textiles",
  "engineering",
  "electrical",
  "plumbing",
  "roofing",
  "landscaping",
  "architects",
  "legal",
  "accounting",
  "marketing",
  "media",
  "printing",
  "packaging",
  "foods",
  "organics",
  "coffee",
  "wines",
  "outdoor",
  "cycles",
  "motors",
  "marine",
  "aviation",
  "freight",
  "supply",
  "wholesale",
  "retail",
  "fashion",
  "optics",
  "pharmacy",
  "clinic",
  "veterinary",
  "fitness",
  "yoga",
  "academy",
  "tutoring",
  "events",
  "catering",
  "hotels",
  "travel",
  "realty",
  "properties",
  "construction",
  "tools",
  "hardware",
  "electronics",
  "robotics",
  "software",
  "labs",
  "analytics",
  "security",
  "cleaning",
  "movers",
  "storage",
  "ceramics",
  "glassworks",
  "metalworks",
  "woodcraft",
  "florist",
  "garden",
  "pets",
  "toys",
  "books",
  "music",
  "studio",
  "photography",
  "interiors",
  "solar",
];

const CITIES = [
  "lyon",
  "porto",
  "ghent",
  "leeds",
  "bremen",
  "turin",
  "krakow",
  "austin",
  "denver",
  "quebec",
  "malmo",
  "bergen",
  "tampere",
  "graz",
  "basel",
  "bilbao",
  "seville",
  "nantes",
  "utrecht",
  "aarhus",
  "cork",
  "brno",
  "split",
  "tallinn",
  "riga",
  "vilnius",
  "pune",
  "osaka",
  "perth",
  "dunedin",
];

const FIRST_NAMES = [
  "anna",
  "ben",
  "carla",
  "david",
  "elena",
  "farid",
  "grace",
  "hugo",
  "ines",
  "jonas",
  "karin",
  "liam",
  "maria",
  "noah",
  "olga",
  "pablo",
  "quinn",
  "rosa",
  "samir",
  "tara",
  "umar",
  "vera",
  "wim",
  "ximena",
  "yusuf",
  "zoe",
  "marc",
  "sofia",
  "lukas",
  "amelie",
  "jan",
  "nina",
  "omar",
];

const LAST_NAMES = [
  "martin",
  "bernard",
  "dubois",
  "muller",
  "schmidt",
  "rossi",
  "bianchi",
  "garcia",
  "lopez",
  "novak",
  "kowalski",
  "jansen",
  "peeters",
  "smith",
  "jones",
  "nguyen",
  "khan",
  "silva",
  "costa",
  "larsen",
  "nielsen",
  "virtanen",
  "horvat",
  "popescu",
  "meyer",
  "fischer",
  "moreau",
  "leroy",
];

const TLDS = ["com", "com", "com", "io", "co", "eu", "net", "de", "fr", "co.uk", "be", "nl"];

export interface CompanyIdentity {
  databaseName: string;
  displayName: string;
  domain: string;
}

const titleCase = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** A unique company; `taken` holds database names already used in this fleet. */
export function pickCompany(rng: Rng, taken: Set<string>): CompanyIdentity {
  for (let attempt = 0; attempt < 50; attempt++) {
    const prefix = rng.pick(PREFIXES);
    const trade = rng.pick(TRADES);
    const qualifier = attempt < 3 ? "" : rng.pick(CITIES);
    const parts = qualifier ? [prefix, trade, qualifier] : [prefix, trade];
    const databaseName = parts.join("-");
    if (taken.has(databaseName)) continue;
    taken.add(databaseName);
    return companyFromDatabaseName(databaseName, rng);
  }
  // Past 50 collisions the fleet is huge; a numeric qualifier keeps names valid and unique.
  let n = taken.size;
  while (taken.has(`${rng.pick(PREFIXES)}-${rng.pick(TRADES)}-${n}`)) n++;
  const databaseName = `${rng.pick(PREFIXES)}-${rng.pick(TRADES)}-${n}`;
  taken.add(databaseName);
  return companyFromDatabaseName(databaseName, rng);
}

export function companyFromDatabaseName(databaseName: string, rng: Rng): CompanyIdentity {
  const words = databaseName.split("-");
  return {
    databaseName,
    displayName: words.map(titleCase).join(" "),
    domain: `${words.slice(0, 2).join("")}.${rng.pick(TLDS)}`,
  };
}

export function pickContactEmail(rng: Rng, domain: string): string {
  const style = rng.int(0, 3);
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  if (style === 0) return `admin@${domain}`;
  if (style === 1) return `${first}.${last}@${domain}`;
  if (style === 2) return `${first[0]}${last}@${domain}`;
  return `it@${domain}`;
}
