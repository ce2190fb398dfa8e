"""PostgreSQL refuses what the models refuse, whoever asks: an issued invoice or credit note
(and its lines) never changes nor disappears, and allocations never pay more than an
invoice's total nor use more than a credit note's amount. SQLite keeps the model guards."""

from django.db import migrations

FROZEN = (
    "run_id, regie_id, family_id, kind, month, number, year, sequence, issued_at, issued_on, "
    "due_on, total, payer, regie_snapshot, replaces_id, corrects_id, reason"
)

INSTALL = f"""
CREATE OR REPLACE FUNCTION invoicing_invoice_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status NOT IN ('issued', 'cancelled') THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoice % is issued: it is never deleted', OLD.number
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF ROW({", ".join("NEW." + f for f in FROZEN.split(", "))})
       IS DISTINCT FROM ROW({", ".join("OLD." + f for f in FROZEN.split(", "))})
     OR (OLD.pdf <> '' AND NEW.pdf IS DISTINCT FROM OLD.pdf)
     OR (OLD.pdf_sha256 <> '' AND NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256)
     OR NOT (NEW.status = OLD.status
             OR (OLD.kind = 'invoice' AND OLD.status = 'issued' AND NEW.status = 'cancelled'))
  THEN
    RAISE EXCEPTION 'invoice % is issued: it can no longer be changed', OLD.number
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER invoicing_invoice_immutable
BEFORE UPDATE OR DELETE ON invoicing_invoice
FOR EACH ROW EXECUTE FUNCTION invoicing_invoice_immutable();

-- Lines: one check per statement (a run inserts a hundred thousand lines at once).
CREATE OR REPLACE FUNCTION invoicing_line_added() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_lines l JOIN invoicing_invoice i ON i.id = l.invoice_id
             WHERE i.status IN ('issued', 'cancelled')) THEN
    RAISE EXCEPTION 'lines of an issued invoice never change'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION invoicing_line_removed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM old_lines l JOIN invoicing_invoice i ON i.id = l.invoice_id
             WHERE i.status IN ('issued', 'cancelled')) THEN
    RAISE EXCEPTION 'lines of an issued invoice never change'
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER invoicing_line_insert AFTER INSERT ON invoicing_invoiceline
REFERENCING NEW TABLE AS new_lines
FOR EACH STATEMENT EXECUTE FUNCTION invoicing_line_added();

CREATE TRIGGER invoicing_line_update_new AFTER UPDATE ON invoicing_invoiceline
REFERENCING NEW TABLE AS new_lines
FOR EACH STATEMENT EXECUTE FUNCTION invoicing_line_added();

CREATE TRIGGER invoicing_line_update_old AFTER UPDATE ON invoicing_invoiceline
REFERENCING OLD TABLE AS old_lines
FOR EACH STATEMENT EXECUTE FUNCTION invoicing_line_removed();

CREATE TRIGGER invoicing_line_delete AFTER DELETE ON invoicing_invoiceline
REFERENCING OLD TABLE AS old_lines
FOR EACH STATEMENT EXECUTE FUNCTION invoicing_line_removed();

-- Allocations: both documents' rows locked, then their sums checked.
CREATE OR REPLACE FUNCTION invoicing_allocation_within_totals() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target RECORD;
  source RECORD;
  already numeric;
BEGIN
  SELECT kind, status, total INTO target FROM invoicing_invoice
    WHERE id = NEW.invoice_id FOR UPDATE;
  IF target.kind <> 'invoice' OR target.status NOT IN ('issued', 'cancelled') THEN
    RAISE EXCEPTION 'only an issued invoice can be paid' USING ERRCODE = 'check_violation';
  END IF;
  SELECT COALESCE(SUM(amount), 0) INTO already FROM invoicing_allocation
    WHERE invoice_id = NEW.invoice_id AND id IS DISTINCT FROM NEW.id;
  IF already + NEW.amount > target.total THEN
    RAISE EXCEPTION 'allocations would exceed the invoice total' USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.credit_note_id IS NOT NULL THEN
    SELECT kind, status, total INTO source FROM invoicing_invoice
      WHERE id = NEW.credit_note_id FOR UPDATE;
    IF source.kind <> 'credit_note' OR source.status <> 'issued' THEN
      RAISE EXCEPTION 'only an issued credit note can pay' USING ERRCODE = 'check_violation';
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO already FROM invoicing_allocation
      WHERE credit_note_id = NEW.credit_note_id AND id IS DISTINCT FROM NEW.id;
    IF already + NEW.amount > -source.total THEN
      RAISE EXCEPTION 'allocations would exceed the credit note' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER invoicing_allocation_within_totals
BEFORE INSERT OR UPDATE ON invoicing_allocation
FOR EACH ROW EXECUTE FUNCTION invoicing_allocation_within_totals();
"""

REMOVE = """
DROP TRIGGER IF EXISTS invoicing_allocation_within_totals ON invoicing_allocation;
DROP TRIGGER IF EXISTS invoicing_line_delete ON invoicing_invoiceline;
DROP TRIGGER IF EXISTS invoicing_line_update_old ON invoicing_invoiceline;
DROP TRIGGER IF EXISTS invoicing_line_update_new ON invoicing_invoiceline;
DROP TRIGGER IF EXISTS invoicing_line_insert ON invoicing_invoiceline;
DROP TRIGGER IF EXISTS invoicing_invoice_immutable ON invoicing_invoice;
DROP FUNCTION IF EXISTS invoicing_allocation_within_totals();
DROP FUNCTION IF EXISTS invoicing_line_removed();
DROP FUNCTION IF EXISTS invoicing_line_added();
DROP FUNCTION IF EXISTS invoicing_invoice_immutable();
"""


def _run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0001_initial")]

    operations = [migrations.RunPython(_run_on_postgresql(INSTALL), _run_on_postgresql(REMOVE))]
