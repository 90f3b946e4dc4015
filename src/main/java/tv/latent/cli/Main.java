package tv.latent.cli;

/** Command-line entry point of LatentTV. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("LatentTV");
  }
}
