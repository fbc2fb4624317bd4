"""What the tests and the benchmarks share, installed for development only (never in the
layer): the AWS call recorder, the seeder of a standard cast of people, and typed fakes of
the core's ports."""
