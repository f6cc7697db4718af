import Anser from "anser";
import type { MatchRange } from "./log-search";

export interface SegmentStyle {
  color?: string;
  backgroundColor?: string;
  fontWeight?: "bold";
  fontStyle?: "italic";
  textDecoration?: string;
  opacity?: number;
}

export interface TextSegment {
  text: string;
  style?: SegmentStyle;
  highlighted?: boolean;
}

/**
 * Control characters other than tab become their visible "control picture" (U+2400 + code, DEL as
 * U+2421): one character for one, so search ranges found on the raw text still line up.
 */
export function escapeControlChars(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (char) => {
    const code = char.charCodeAt(0);
    return String.fromCharCode(code === 0x7f ? 0x2421 : 0x2400 + code);
  });
}

function styleOf(entry: Anser.AnserJsonEntry): SegmentStyle | undefined {
  const style: SegmentStyle = {};
  if (entry.fg) style.color = `rgb(${entry.fg})`;
  if (entry.bg) style.backgroundColor = `rgb(${entry.bg})`;
  const decorations = entry.decorations ?? [];
  if (decorations.includes("bold")) style.fontWeight = "bold";
  if (decorations.includes("italic")) style.fontStyle = "italic";
  if (decorations.includes("dim")) style.opacity = 0.7;
  const lines = [decorations.includes("underline") && "underline", decorations.includes("strikethrough") && "line-through"].filter(Boolean);
  if (lines.length) style.textDecoration = lines.join(" ");
  return Object.keys(style).length ? style : undefined;
}

/** Parses SGR colour codes into styled runs of plain text; nothing here ever becomes markup. */
export function ansiSegments(text: string): TextSegment[] {
  if (!text.includes("\u001b")) return [{ text: escapeControlChars(text) }];
  return Anser.ansiToJson(text, { remove_empty: true }).map((entry) => {
    const style = styleOf(entry);
    return style ? { text: escapeControlChars(entry.content), style } : { text: escapeControlChars(entry.content) };
  });
}

/** The text a reader sees (and a search runs on): colour codes removed, controls made visible. */
export function plainText(segments: readonly TextSegment[]): string {
  return segments.map((segment) => segment.text).join("");
}

/** Splits styled runs at match boundaries so a match can be highlighted without losing colours. */
export function highlightSegments(segments: readonly TextSegment[], ranges: readonly MatchRange[]): TextSegment[] {
  if (ranges.length === 0) return [...segments];
  const out: TextSegment[] = [];
  let offset = 0;
  let rangeIndex = 0;
  for (const segment of segments) {
    const segmentEnd = offset + segment.text.length;
    let cursor = offset;
    while (cursor < segmentEnd) {
      while (rangeIndex < ranges.length && ranges[rangeIndex][1] <= cursor) rangeIndex += 1;
      const range = ranges[rangeIndex];
      if (!range || range[0] >= segmentEnd) {
        out.push({ ...segment, text: segment.text.slice(cursor - offset) });
        cursor = segmentEnd;
      } else if (range[0] > cursor) {
        out.push({ ...segment, text: segment.text.slice(cursor - offset, range[0] - offset) });
        cursor = range[0];
      } else {
        const end = Math.min(range[1], segmentEnd);
        out.push({ ...segment, text: segment.text.slice(cursor - offset, end - offset), highlighted: true });
        cursor = end;
      }
    }
    offset = segmentEnd;
  }
  return out;
}
