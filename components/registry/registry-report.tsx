import { plural } from "@/components/registry/plural";
import { Alert } from "@/components/ui/alert";
import { Table, TableBody, TableCell, TableHead, TableHeaderCell, TableRow } from "@/components/ui/table";

export interface RegistryProblemView {
  row: number;
  field: string;
  problem: string;
}

/** The validation report: what is wrong, where, in the person's own file's terms. */
export function RegistryReport({
  problems,
  problemCount,
  afterImport,
}: {
  problems: RegistryProblemView[];
  problemCount: number;
  /** The import itself refused the file (the registry changed since the check), not only the check. */
  afterImport: boolean;
}) {
  return (
    <div className="space-y-3" data-testid="registry-report">
      <Alert
        tone="danger"
        title={
          afterImport
            ? `${plural(problemCount, "problem")}: nothing was imported. Fix the file and try again.`
            : `${plural(problemCount, "problem")}: the file cannot be imported as it is. Fix it and check it again.`
        }
      >
        {problemCount > problems.length ? `Showing the first ${problems.length.toLocaleString("en")}. ` : null}
        Rows are numbered as in the file: for CSV the header is row 1, for JSON the first entry is row 1. Row 0 means the whole file.
      </Alert>
      <Table aria-label="Problems in the file">
        <TableHead>
          <tr>
            <TableHeaderCell className="w-20 text-right">Row</TableHeaderCell>
            <TableHeaderCell className="w-48">Field</TableHeaderCell>
            <TableHeaderCell>Problem</TableHeaderCell>
          </tr>
        </TableHead>
        <TableBody>
          {problems.map((problem, index) => (
            <TableRow key={`${problem.row}-${problem.field}-${index}`} data-testid="registry-report-row">
              <TableCell className="text-right tabular-nums">{problem.row === 0 ? "file" : problem.row}</TableCell>
              <TableCell className="font-mono text-xs">{problem.field}</TableCell>
              <TableCell>{problem.problem}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
