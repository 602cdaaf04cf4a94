"""The problem bank: one YAML template per problem (see docs/templates.md)."""
