// jest setup file of the `postgres` project (jest.config.js): TestApp then opens each test's own
// database on the PostgreSQL server at TEST_POSTGRES_URL instead of a SQLite file.
process.env.TEST_DATABASE_ENGINE = 'postgres';
