package io.kubeactor.agent.runtime;

/**
 * An image name split as Docker reads it: registry host, repository and tag (or digest). A name
 * without a registry host is Docker Hub's; without a tag it is ":latest".
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

  public static final String DOCKER_HUB = "docker.io";

  public static ImageReference parse(String image) {
    String rest = image;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    String registry = DOCKER_HUB;
    int slash = rest.indexOf('/');
    if (slash > 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) registry = first;
    }
    if (tag == null && digest == null) tag = "latest";
    return new ImageReference(registry, rest, tag, digest);
  }

  /** What the pull API's tag parameter takes: the tag, or the digest. */
  public String tagOrDigest() {
    return digest != null ? digest : tag;
  }

  /** The full name as Docker lists it locally. */
  public String canonical() {
    return repository + (digest != null ? "@" + digest : ":" + tag);
  }
}
