package org.gsae.tests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Master reports at {@code http://127.0.0.1:<webui port>/json/} (Spark's
 * {@code JsonProtocol.writeMasterState}): its URL and state, its Workers and applications.
 *
 * @param url          the Master's URL, {@code spark://127.0.0.1:<port>}
 * @param status       the Master's state, {@code ALIVE} once it leads
 * @param aliveWorkers Workers in state ALIVE ({@code aliveworkers})
 * @param workers      every Worker the Master knows, including DEAD ones
 * @param activeApps   running applications ({@code activeapps})
 * @param completedApps finished applications ({@code completedapps})
 */
public record MasterStatus(
    String url,
    String status,
    int aliveWorkers,
    List<Worker> workers,
    List<App> activeApps,
    List<App> completedApps) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .proxy(HttpClient.Builder.NO_PROXY)
      .build();

  /**
   * One Worker as the Master sees it.
   *
   * @param id        e.g. {@code worker-20261121082348-127.0.0.1-46679}
   * @param host      the host it registered with
   * @param port      its RPC port
   * @param state     {@code ALIVE}, {@code DEAD}, ...
   * @param cores     cores it offers
   * @param coresUsed cores its executors hold
   */
  public record Worker(String id, String host, int port, String state, int cores, int coresUsed) {}

  /**
   * One application as the Master sees it.
   *
   * @param id    e.g. {@code app-20261121082348-0000}
   * @param name  the application name
   * @param state {@code RUNNING}, {@code FINISHED}, ...
   * @param cores cores it asked for (-1 or the cluster's total when unbounded)
   */
  public record App(String id, String name, String state, int cores) {}

  /**
   * Reads the Master's status page once.
   *
   * @param webUiPort the Master's web UI port on 127.0.0.1
   * @throws IOException if the page cannot be fetched or is not the expected JSON
   */
  public static MasterStatus fetch(int webUiPort) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + webUiPort + "/json/"))
        .timeout(Duration.ofSeconds(5))
        .GET()
        .build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while reading the Master's status", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("Master status page answered HTTP " + response.statusCode());
    }
    return parse(response.body());
  }

  /** Parses the JSON of the Master's status page. */
  static MasterStatus parse(String json) throws IOException {
    JsonNode root = JSON.readTree(json);
    List<Worker> workers = new ArrayList<>();
    for (JsonNode w : root.path("workers")) {
      workers.add(new Worker(w.path("id").asText(), w.path("host").asText(),
          w.path("port").asInt(), w.path("state").asText(), w.path("cores").asInt(),
          w.path("coresused").asInt()));
    }
    return new MasterStatus(root.path("url").asText(), root.path("status").asText(),
        root.path("aliveworkers").asInt(), List.copyOf(workers),
        apps(root.path("activeapps")), apps(root.path("completedapps")));
  }

  private static List<App> apps(JsonNode array) {
    List<App> apps = new ArrayList<>();
    for (JsonNode a : array) {
      apps.add(new App(a.path("id").asText(), a.path("name").asText(), a.path("state").asText(),
          a.path("cores").asInt()));
    }
    return List.copyOf(apps);
  }
}
