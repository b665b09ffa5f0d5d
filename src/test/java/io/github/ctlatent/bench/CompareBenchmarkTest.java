package io.github.ctlatent.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompareBenchmarkTest {

	@Test
	void pytorchRunsWithAndWithoutHugePagesKeepingTheUsersOtherTunables() {
		assertEquals("glibc.malloc.hugetlb=1", CompareBenchmark.tunables(null, true));
		assertEquals("", CompareBenchmark.tunables(null, false));
		String given = "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=0";
		assertEquals("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1", CompareBenchmark.tunables(given, true));
		assertEquals("glibc.malloc.arena_max=2", CompareBenchmark.tunables(given, false));
	}
}
