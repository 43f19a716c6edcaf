-- One time format for every DateTime (the SQLite migration of the same name rewrites stored text).
-- PostgreSQL stores instants as timestamp(3), whatever wrote them: there is no text to rewrite.
-- Ids keep their values: the schema's uuid(7) applies to new rows only, and no order is read
-- across rows made before and after this version.
SELECT 1;
