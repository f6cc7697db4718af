import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// server/ is server-only throughout: every module starts with the marker, so a client component
// that reaches one by a value import fails the build instead of shipping server code.
const serverDir = import.meta.dirname;
const repoRoot = join(serverDir, "..");

function moduleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path === join(serverDir, "db/generated") ? [] : moduleFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function startsWithServerOnly(path: string): boolean {
  const [first] = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest).statements;
  return (
    !!first && ts.isImportDeclaration(first) && !first.importClause && ts.isStringLiteral(first.moduleSpecifier) && first.moduleSpecifier.text === "server-only"
  );
}

describe("server/", () => {
  it('starts every module with import "server-only"', () => {
    const files = moduleFiles(serverDir);
    expect(files).toContain(join(serverDir, "env.ts"));
    const missing = files.filter((path) => !startsWithServerOnly(path)).map((path) => relative(repoRoot, path));
    expect(missing, 'these files must begin with `import "server-only";`').toEqual([]);
  });
});
