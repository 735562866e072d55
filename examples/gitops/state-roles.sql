-- The state database of the GitOps example and its two roles, for Terraform's pg backend. Run it
-- once as a PostgreSQL superuser (or a role with CREATEROLE and CREATEDB):
--
--   psql -v ON_ERROR_STOP=1 -v writer_password="$WRITER_PASSWORD" -v reader_password="$READER_PASSWORD" -f state-roles.sql
--
-- faq_state_writer owns the state: the apply job's role. Its first terraform init creates the
-- table (terraform_remote_state.states) and its index, and every apply locks the state with a
-- PostgreSQL advisory lock, which needs no grant.
-- faq_state_reader is the pull-request plan's role: it may connect and read the table, nothing
-- else. It cannot create the table, so its jobs set PG_SKIP_SCHEMA_CREATION,
-- PG_SKIP_TABLE_CREATION and PG_SKIP_INDEX_CREATION to true. Advisory locks need no privilege,
-- so it could still take the state lock: its plans use -lock=false so that a pull request never
-- holds up an apply.
CREATE ROLE faq_state_writer LOGIN PASSWORD :'writer_password';
CREATE ROLE faq_state_reader LOGIN PASSWORD :'reader_password';
CREATE DATABASE faq_state OWNER faq_state_writer;
REVOKE ALL ON DATABASE faq_state FROM PUBLIC;
GRANT CONNECT ON DATABASE faq_state TO faq_state_writer, faq_state_reader;

\connect faq_state
-- The schema the backend uses (schema_name, default terraform_remote_state), owned by the writer.
CREATE SCHEMA terraform_remote_state AUTHORIZATION faq_state_writer;
GRANT USAGE ON SCHEMA terraform_remote_state TO faq_state_reader;
-- The reader may read every table the writer creates there: the states table, once the
-- writer's first terraform init has created it.
ALTER DEFAULT PRIVILEGES FOR ROLE faq_state_writer IN SCHEMA terraform_remote_state
  GRANT SELECT ON TABLES TO faq_state_reader;
