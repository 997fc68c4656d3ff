/**
 * JMH benchmarks of the model's searches at kernel scale (issue 23): {@code java -jar
 * benchmarks/target/benchmarks.jar}; see README.md, "Performance".
 */
package io.pfnmap.benchmarks;
