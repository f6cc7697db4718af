import { z } from "zod";

import { GATE_IDS } from "./gates";

/** The gate id as inputs name it (gates.ts, without zod, is what the browser imports). */
export const gateIdSchema = z.enum(GATE_IDS);
