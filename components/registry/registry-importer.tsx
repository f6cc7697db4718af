"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";

import { plural } from "@/components/registry/plural";
import { RegistryFilePicker } from "@/components/registry/registry-file-picker";
import { RegistryReport } from "@/components/registry/registry-report";
import { useTRPC } from "@/components/trpc/client";
import { userMessageOf } from "@/components/trpc/error-message";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { AppRouter } from "@/server/trpc/root";

type RegistryFormat = "csv" | "json";
type ImportOutcome = inferRouterOutputs<AppRouter>["registry"]["import"];

/** Matches the server's limit, so a too-large file is refused before it is sent. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

interface ChosenFile {
  name: string;
  text: string;
}

/** By extension, then by the first character, since exports are often saved without one. */
function detectFormat(name: string, text: string): RegistryFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".csv")) return "csv";
  return /^\uFEFF?\s*[[{]/.test(text) ? "json" : "csv";
}

/** `cluster`: the default; `clusters`: every configured one (a choice is offered when there are several). */
export function RegistryImporter({ cluster: defaultCluster, clusters = [defaultCluster] }: { cluster: string; clusters?: string[] }) {
  const trpc = useTRPC();
  const [cluster, setCluster] = useState(defaultCluster);
  const queryClient = useQueryClient();
  const [file, setFile] = useState<ChosenFile | null>(null);
  const [format, setFormat] = useState<RegistryFormat>("csv");
  const [readError, setReadError] = useState<string | null>(null);

  const preview = useMutation(trpc.registry.preview.mutationOptions());
  const runImport = useMutation(
    trpc.registry.import.mutationOptions({
      onSuccess: (outcome) => {
        if (outcome.problemCount === 0) {
          void queryClient.invalidateQueries(trpc.tenants.pathFilter());
          void queryClient.invalidateQueries(trpc.fleet.pathFilter());
        }
      },
    }),
  );

  // A preview speaks for one file in one format; any change asks for a new check.
  function startOver() {
    preview.reset();
    runImport.reset();
  }

  async function onFile(chosen: File) {
    startOver();
    setFile(null);
    if (chosen.size > MAX_FILE_BYTES) {
      setReadError(`${chosen.name} is larger than 20 MB; split it into smaller files.`);
      return;
    }
    try {
      const text = await chosen.text();
      if (looksBinary(text)) {
        setReadError(`${chosen.name} is not a text file (it holds binary data). Export the registry as CSV or JSON and choose that file.`);
        return;
      }
      setReadError(null);
      setFile({ name: chosen.name, text });
      setFormat(detectFormat(chosen.name, text));
    } catch {
      setReadError(`${chosen.name} could not be read. Choose it again.`);
    }
  }

  const checked = preview.data;
  const clean = checked !== undefined && checked.problemCount === 0 && checked.rows > 0;
  const imported = runImport.data?.problemCount === 0 ? runImport.data : undefined;
  // The import re-checks everything; if the registry changed since the preview, its report wins.
  const report: ImportOutcome | undefined = runImport.data && runImport.data.problemCount > 0 ? runImport.data : checked;
  const requestError = preview.error ?? runImport.error;

  return (
    <Card aria-labelledby="registry-import-title">
      <CardHeader
        titleId="registry-import-title"
        title="Import a file"
        description={`Check the file first; nothing is written until you import it. Tenants are recorded in cluster ${cluster}.`}
      />
      <CardBody className="space-y-4">
        <RegistryFilePicker fileName={file?.name} onFile={(chosen) => void onFile(chosen)} />
        {readError ? (
          <Alert tone="danger" data-testid="registry-read-error">
            {readError}
          </Alert>
        ) : null}

        <div className="flex flex-wrap items-end gap-3">
          <Field label="Format" hint="Read from the file name; change it if that is wrong." className="w-56">
            {({ id, describedBy }) => (
              <Select
                id={id}
                aria-describedby={describedBy}
                value={format}
                data-testid="registry-format"
                onChange={(event) => {
                  startOver();
                  setFormat(event.currentTarget.value as RegistryFormat);
                }}
              >
                <option value="csv">CSV</option>
                <option value="json">JSON</option>
              </Select>
            )}
          </Field>
          {clusters.length > 1 && (
            <Field label="Cluster" hint="Where these instances run." className="w-56">
              {({ id, describedBy }) => (
                <Select
                  id={id}
                  aria-describedby={describedBy}
                  value={cluster}
                  data-testid="registry-cluster"
                  onChange={(event) => {
                    startOver();
                    setCluster(event.currentTarget.value);
                  }}
                >
                  {clusters.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          )}
          <div className="flex gap-2 pb-5">
            <Button
              data-testid="registry-preview"
              disabled={!file || runImport.isPending}
              pending={preview.isPending}
              onClick={() => {
                if (!file) return;
                runImport.reset();
                preview.mutate({ text: file.text, format, cluster });
              }}
            >
              Check file
            </Button>
            <Button
              variant="primary"
              data-testid="registry-import"
              // One import per check: after it, success or a fresh report, the file must be checked again.
              disabled={!file || !clean || runImport.data !== undefined}
              pending={runImport.isPending}
              onClick={() => file && runImport.mutate({ text: file.text, format, cluster })}
            >
              {clean ? `Import ${plural(checked.rows, "tenant")}` : "Import"}
            </Button>
          </div>
        </div>

        {requestError ? (
          <Alert tone="danger" data-testid="registry-error">
            {userMessageOf(requestError)}
          </Alert>
        ) : null}

        {imported ? (
          <Alert
            tone="success"
            title={`Imported ${plural(imported.created + imported.updated + imported.unchanged, "tenant")}.`}
            data-testid="registry-summary"
          >
            {imported.created.toLocaleString("en")} created, {imported.updated.toLocaleString("en")} updated, {imported.unchanged.toLocaleString("en")}{" "}
            unchanged{imported.onSwarm > 0 ? `; ${plural(imported.onSwarm, "tenant")} on Swarm now tracked as “On Swarm”` : ""}. The tenant pages show them now.
          </Alert>
        ) : report && report.problemCount > 0 ? (
          <RegistryReport problems={report.problems} problemCount={report.problemCount} afterImport={report === runImport.data} />
        ) : clean ? (
          <>
            <Alert tone="info" title={`The file is ready: ${plural(checked.rows, "tenant")}.`} data-testid="registry-preview-summary">
              Importing will create {checked.created.toLocaleString("en")}, update {checked.updated.toLocaleString("en")} and leave{" "}
              {checked.unchanged.toLocaleString("en")} unchanged
              {checked.onSwarm > 0 ? `; ${plural(checked.onSwarm, "tenant")} on Swarm will be tracked as “On Swarm”` : ""}.
            </Alert>
            {checked.warnings.length > 0 ? (
              <Alert tone="warning" title="Check these before importing (they do not stop the import)" data-testid="registry-warnings">
                <ul className="list-disc pl-4">
                  {checked.warnings.map((warning) => (
                    <li key={`${warning.row}-${warning.field}`}>
                      Row {warning.row}, {warning.field}: {warning.problem}
                    </li>
                  ))}
                </ul>
              </Alert>
            ) : null}
          </>
        ) : null}
      </CardBody>
    </Card>
  );
}

/** A NUL byte, or many undecodable bytes, in the first KiB: a spreadsheet, an archive, an image. */
function looksBinary(text: string): boolean {
  const head = text.slice(0, 1024);
  if (head.includes("\u0000")) return true;
  const undecodable = head.split("\uFFFD").length - 1;
  return head.length > 0 && undecodable / head.length > 0.05;
}
