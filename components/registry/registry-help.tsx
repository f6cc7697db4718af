import { Card, CardBody, CardHeader } from "@/components/ui/card";

const COLUMNS: { name: string; rule: string }[] = [
  { name: "id", rule: "the instance UUID" },
  { name: "name", rule: "the instance name, odoo-<database_name>-<first 8 hex of id>" },
  { name: "database_name", rule: "lowercase letters, digits, - and _, starting with a letter (at most 63)" },
  { name: "customer_id", rule: "the customer UUID" },
  { name: "admin_email", rule: "the customer's contact email" },
  { name: "instance_type", rule: "development, staging or production" },
  { name: "odoo_version", rule: "such as 17.0 (17 is read as 17.0)" },
  { name: "billing_status", rule: "active, trial, suspended or overdue" },
  { name: "created_at", rule: "optional; a date such as 2024-03-01T09:00:00Z" },
  { name: "platform", rule: "optional; kubernetes (the default) or swarm: a tenant on Swarm is tracked as “On Swarm” until it is migrated" },
];

const EXAMPLE_ROW =
  "3f2b8c1e-5d4a-4b6c-9e8f-0a1b2c3d4e5f,odoo-brightpath-logistics-3f2b8c1e,brightpath-logistics," +
  "0d9e8f7a-6b5c-4d3e-8f1a-2b3c4d5e6f70,admin@brightpath.com,production,17.0,active,2024-03-01T09:00:00Z,kubernetes";

/** What the file must hold: the instance service's export columns, as the importer checks them. */
export function RegistryHelp() {
  return (
    <Card aria-labelledby="registry-help-title">
      <CardHeader
        titleId="registry-help-title"
        title="What the file holds"
        description={'An export of the instance service\'s database: CSV with a header row, or JSON (an array of objects, or {"instances": [...]}).'}
      />
      <CardBody className="space-y-3 text-sm">
        <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
          {COLUMNS.map((column) => (
            <div key={column.name} className="contents">
              <dt className="font-mono text-xs leading-5 text-slate-900">{column.name}</dt>
              <dd className="text-slate-600">{column.rule}</dd>
            </div>
          ))}
        </dl>
        <p className="text-slate-600">
          JSON may use the same names or camelCase (databaseName). Rows are matched by id: a known id is updated, a new one is added; instances missing from the
          file are left as they are.
        </p>
        <div>
          <p className="mb-1 text-xs font-medium text-slate-700">Example row</p>
          <pre className="overflow-x-auto rounded-md bg-slate-100 p-2 font-mono text-xs">
            {COLUMNS.map((column) => column.name).join(",")}
            {"\n"}
            {EXAMPLE_ROW}
          </pre>
        </div>
        <a href="/registry-template.csv" download className="inline-block font-medium text-blue-700 underline">
          Download a CSV template
        </a>
      </CardBody>
    </Card>
  );
}
