package dev.cdds.localcluster;

/** The node has no launcher for a pod's image: kubelet's ImagePullBackOff. */
final class ImageNotFound extends IllegalStateException {
  ImageNotFound(String image) {
    super("Back-off pulling image \"" + image + "\": no launcher for it on this node");
  }
}
