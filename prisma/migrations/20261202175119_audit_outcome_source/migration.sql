-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "outcome" TEXT NOT NULL DEFAULT 'success',
ADD COLUMN     "sourceAddress" TEXT,
ADD COLUMN     "userAgent" TEXT;


-- Rows written while outcome and source still lived in details move to the new columns.
UPDATE "AuditEvent"
SET "outcome" = COALESCE("details"->>'outcome', 'success'),
    "sourceAddress" = "details"->'source'->>'address',
    "userAgent" = "details"->'source'->>'userAgent',
    "details" = "details" - 'outcome' - 'source'
WHERE "details" ?| ARRAY['outcome', 'source'];

ALTER TABLE "AuditEvent" ADD CONSTRAINT "AuditEvent_outcome_check" CHECK ("outcome" IN ('success', 'denied', 'failure'));

-- The audit log is append-only. Triggers hold for every role that is not a superuser (a superuser
-- can switch them off with session_replication_role, which the test helper does on PGlite to empty
-- the table between tests). The one change allowed is the foreign key's own ON DELETE SET NULL:
-- deleting a user clears actorId and nothing else (actorEmail keeps who it was).
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD."actorId" IS NOT NULL AND NEW."actorId" IS NULL
     AND to_jsonb(NEW) - 'actorId' = to_jsonb(OLD) - 'actorId' THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'The audit log is append-only: % on "AuditEvent" is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only_rows"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "AuditEvent_append_only_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
