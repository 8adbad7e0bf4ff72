/**
 * The highest page number a paged list accepts (issue 16: no endpoint may materialise an unbounded set). Each
 * list has its own default and maximum page size beside its query DTO; a page past this is refused (400)
 * rather than turned into an OFFSET the database walks to.
 */
export const PAGE_MAX = 10_000;
