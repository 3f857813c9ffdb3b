package io.migrationgate.localcluster.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The readings the benchmark takes from jcmd, /proc and the API server's /metrics. */
class MeasurementParsingTest {

  @Test
  void heapInUseIsTheSumOfEveryHeapSpaceWhateverTheCollector() {
    String serial = """
         def new generation   total 4928K, used 1024K [0x00000000e0000000, 0x00000000e0550000)
          eden space 4416K,  23% used [0x00000000e0000000, 0x00000000e0450000)
         tenured generation   total 10944K, used 2048K [0x00000000eaaa0000, 0x00000000eb550000)
         Metaspace       used 8884K, committed 9088K, reserved 1114112K
          class space    used 1062K, committed 1152K, reserved 1048576K
        """;
    String g1 = """
         garbage-first heap   total 14336K, used 2865K [0x00000000e8000000, 0x0000000100000000)
          region size 1024K, 0 young (0K), 0 survivors (0K)
         Metaspace       used 8884K, committed 9088K, reserved 1114112K
        """;
    assertThat(JvmProbe.heapUsedBytes(serial)).isEqualTo(3072L * 1024);
    assertThat(JvmProbe.heapUsedBytes(g1)).isEqualTo(2865L * 1024);
    assertThatThrownBy(() -> JvmProbe.heapUsedBytes("12345:\nAttach failed")).hasMessageContaining("GC.heap_info");
  }

  @Test
  void residentSetComesFromVmRss() {
    assertThat(JvmProbe.residentBytes("Name:\tjava\nVmHWM:\t  300000 kB\nVmRSS:\t  250000 kB\n"))
        .isEqualTo(250000L * 1024);
  }

  @Test
  void apiWritesAreCountedByResourceAndVerbAndSubtracted() {
    String before = """
        # TYPE apiserver_request_total counter
        apiserver_request_total{code="200",component="apiserver",dry_run="",group="coordination.k8s.io",resource="leases",scope="resource",subresource="",verb="PUT",version="v1"} 10
        apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"} 7
        """;
    String after = """
        apiserver_request_total{code="200",component="apiserver",dry_run="",group="coordination.k8s.io",resource="leases",scope="resource",subresource="",verb="PUT",version="v1"} 13
        apiserver_request_total{code="200",component="apiserver",dry_run="",group="migrationgate.io",resource="migrationrequests",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 2
        apiserver_request_total{code="409",component="apiserver",dry_run="",group="migrationgate.io",resource="migrationrequests",scope="resource",subresource="status",verb="PATCH",version="v1alpha1"} 1
        apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="LIST",version="v1"} 9
        """;
    ApiWrites idle = ApiWrites.parse(after).since(ApiWrites.parse(before));
    assertThat(idle.byResourceAndVerb()).containsOnly(
        java.util.Map.entry("leases PUT", 3L), java.util.Map.entry("migrationrequests/status PATCH", 3L));
    assertThat(idle.total()).isEqualTo(6);
    assertThatThrownBy(() -> ApiWrites.parse("up 1\n")).hasMessageContaining("apiserver_request_total");
  }

  @Test
  void percentilesAreNearestRank() {
    double[] values = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
    assertThat(BenchmarkRound.percentile(values, 50)).isEqualTo(5);
    assertThat(BenchmarkRound.percentile(values, 90)).isEqualTo(9);
    assertThat(BenchmarkRound.percentile(values, 99)).isEqualTo(10);
  }

  @Test
  void badOptionsAreRefusedNamingTheOption() {
    assertThatThrownBy(() -> OperatorBenchmark.parse(new String[] {"--requests", "ten"}))
        .hasMessageContaining("--requests must be a positive whole number");
    assertThatThrownBy(() -> OperatorBenchmark.parse(new String[] {"--requests", "10", "--approvals", "20"}))
        .hasMessageContaining("more than the smallest --requests");
    assertThatThrownBy(() -> OperatorBenchmark.parse(new String[] {"--threads", "4"}))
        .hasMessageContaining("unknown option --threads");
  }
}
