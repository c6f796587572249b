-- Every entity's id, display name and type, for `newswire eval` (flows/quality/entity_audit.py).
select entity_id, name, entity_type
from entities
