"""PostgreSQL refuses what the payment services refuse, whoever asks: a payment is never
deleted; its régie, family, mode, date, amount, number and attempt never change; it moves
only valid → cancelled, never from inside a deposit slip; and allocations never exceed what
a payment brought (the invoice and credit-note checks of 0002 stay as they were). The
allocation trigger locks the invoice's row before it sums, so two payments allocating to the
same invoice at once queue, and the second one sees the first's allocation."""

import importlib

from django.db import migrations

_BEFORE = importlib.import_module("invoicing.migrations.0002_immutability_triggers").INSTALL
# On the way back, the allocation check as 0002 wrote it (it knows no payment column).
_ALLOCATION_CHECK_0002 = _BEFORE[
    _BEFORE.index("CREATE OR REPLACE FUNCTION invoicing_allocation_within_totals") : _BEFORE.index(
        "CREATE TRIGGER invoicing_allocation_within_totals"
    )
]

INSTALL = """
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
  IF NEW.payment_id IS NOT NULL THEN
    SELECT status, amount INTO source FROM invoicing_payment
      WHERE id = NEW.payment_id FOR UPDATE;
    IF source.status <> 'valid' THEN
      RAISE EXCEPTION 'a cancelled payment pays nothing' USING ERRCODE = 'check_violation';
    END IF;
    SELECT COALESCE(SUM(amount), 0) INTO already FROM invoicing_allocation
      WHERE payment_id = NEW.payment_id AND id IS DISTINCT FROM NEW.id;
    IF already + NEW.amount > source.amount THEN
      RAISE EXCEPTION 'allocations would exceed the payment' USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION invoicing_payment_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payment % is never deleted', OLD.number
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF ROW(NEW.regie_id, NEW.family_id, NEW.mode, NEW.received_on, NEW.amount, NEW.number,
         NEW.year, NEW.sequence, NEW.attempt_id, NEW.created_at)
       IS DISTINCT FROM
     ROW(OLD.regie_id, OLD.family_id, OLD.mode, OLD.received_on, OLD.amount, OLD.number,
         OLD.year, OLD.sequence, OLD.attempt_id, OLD.created_at)
     OR OLD.status = 'cancelled' AND NEW IS DISTINCT FROM OLD
     OR (OLD.status = 'valid' AND NEW.status = 'cancelled' AND OLD.deposit_slip_id IS NOT NULL)
  THEN
    RAISE EXCEPTION 'payment % can no longer be changed', OLD.number
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER invoicing_payment_guard
BEFORE UPDATE OR DELETE ON invoicing_payment
FOR EACH ROW EXECUTE FUNCTION invoicing_payment_guard();
"""

REMOVE = (
    """
DROP TRIGGER IF EXISTS invoicing_payment_guard ON invoicing_payment;
DROP FUNCTION IF EXISTS invoicing_payment_guard();
"""
    + _ALLOCATION_CHECK_0002
)


def _run_on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("invoicing", "0003_payments_ledger")]

    operations = [migrations.RunPython(_run_on_postgresql(INSTALL), _run_on_postgresql(REMOVE))]
