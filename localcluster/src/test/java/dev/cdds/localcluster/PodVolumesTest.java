package dev.cdds.localcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PodVolumesTest {
  @Test
  void rewritesMountPathsOnceEvenWhenTheLocalPathLiesUnderAnotherMount() {
    var volumes = PodVolumes.none();
    volumes.map("/tmp", Path.of("/tmp/checkout/pods/p/volumes/tmp"));
    volumes.map("/dev/termination-log", Path.of("/tmp/checkout/pods/p/termination-log"));

    assertThat(volumes.rewrite("--log=/dev/termination-log --scratch=/tmp/x"))
        .isEqualTo(
            "--log=/tmp/checkout/pods/p/termination-log --scratch=/tmp/checkout/pods/p/volumes/tmp/x");
  }

  @Test
  void leavesPathsThatOnlyStartLikeAMountAlone() {
    var volumes = PodVolumes.none();
    volumes.map("/export", Path.of("/local/export"));

    assertThat(volumes.rewrite("/exports/a /export/b /x/export"))
        .isEqualTo("/exports/a /local/export/b /x/export");
  }
}
