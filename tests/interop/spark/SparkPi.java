import java.util.ArrayList;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Estimates pi by throwing random points at the unit square on a Spark cluster.
 * Arguments: the number of partitions (default 2), then optionally {@code fail}, which makes the
 * job throw once it has printed its estimate (to test how a failed application is reported).
 * Prints "Pi is roughly <estimate>".
 */
public final class SparkPi {
  private static final int POINTS_PER_PARTITION = 100_000;

  public static void main(String[] args) {
    int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    boolean fail = args.length > 1 && args[1].equals("fail");
    SparkConf conf = new SparkConf().setAppName("Spindle SparkPi");
    try (JavaSparkContext sc = new JavaSparkContext(conf)) {
      List<Integer> seeds = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        seeds.add(i);
      }
      long inside =
          sc.parallelize(seeds, partitions)
              .map(
                  seed -> {
                    java.util.Random random = new java.util.Random(31L * seed + 7);
                    long hits = 0;
                    for (int j = 0; j < POINTS_PER_PARTITION; j++) {
                      double x = random.nextDouble() * 2 - 1;
                      double y = random.nextDouble() * 2 - 1;
                      if (x * x + y * y <= 1) {
                        hits++;
                      }
                    }
                    return hits;
                  })
              .reduce(Long::sum);
      double pi = 4.0 * inside / ((long) POINTS_PER_PARTITION * partitions);
      System.out.println("Pi is roughly " + pi);
      if (Math.abs(pi - Math.PI) > 0.05) {
        throw new IllegalStateException("estimate " + pi + " is too far from pi");
      }
      if (fail) {
        throw new IllegalStateException("SparkPi was asked to fail");
      }
    }
  }
}
