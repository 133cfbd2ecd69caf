package io.silt.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.silt.storage.FaultInjectingObjectStore.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CountingObjectStoreTest {
    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final CountingObjectStore store = CountingObjectStore.wrap(memory);

    @Test
    void countsEachKindOfRequestAndTheBytes() {
        ObjectInfo v1 = store.put("a", "12345".getBytes(UTF_8));
        store.putIfAbsent("a", "xyz".getBytes(UTF_8));                 // 412: still a PUT, bytes sent
        store.putIfAbsent("b", "1".getBytes(UTF_8));
        ((SupportsCompareAndSwap) store).putIfMatch("a", "67".getBytes(UTF_8), v1.etag(), Map.of());
        store.get("a");                                                  // 2 bytes
        store.get("missing");                                            // 404
        store.get("b", ByteRange.of(0, 1));                              // 1 byte
        store.get("nope", ByteRange.of(0, 1));                           // 404
        ObjectInfo a = store.head("a").orElseThrow();
        store.getIfChanged("a", a.etag());                               // 304
        store.getIfChanged("a", "\"other\"");                            // 2 bytes
        store.getIfChanged("gone", "\"other\"");                         // 404
        store.list("", null, 1000);
        store.listAll("");
        store.delete("b");

        RequestCounts c = store.counts();
        assertThat(c.puts()).isEqualTo(4);
        assertThat(c.gets()).isEqualTo(7);
        assertThat(c.getsNotFound()).isEqualTo(3);
        assertThat(c.getsNotModified()).isEqualTo(1);
        assertThat(c.heads()).isEqualTo(1);
        assertThat(c.lists()).isEqualTo(2);
        assertThat(c.deletes()).isEqualTo(1);
        assertThat(c.errors()).isZero();
        assertThat(c.bytesWritten()).isEqualTo(5 + 3 + 1 + 2);
        assertThat(c.bytesRead()).isEqualTo(2 + 1 + 2);
        assertThat(c.total()).isEqualTo(15);
    }

    @Test
    void bulkDeleteCountsOneRequestPerThousandKeys() {
        List<String> keys = IntStream.range(0, 2500).mapToObj(i -> "k/" + i).toList();
        store.deleteAll(keys);
        assertThat(store.counts().deletes()).isEqualTo(3);
        store.deleteAll(keys.subList(0, 1000));
        assertThat(store.counts().deletes()).isEqualTo(4);
        store.deleteAll(List.of());
        assertThat(store.counts().deletes()).isEqualTo(4);
    }

    @Test
    void failedRequestsAreCountedButLocallyRejectedOnesAreNot() {
        FaultInjectingObjectStore faults = FaultInjectingObjectStore.wrap(memory, 1, new FakeSleeper());
        CountingObjectStore counted = CountingObjectStore.wrap(faults);
        faults.failNext(Op.GET, 1).failNext(Op.PUT, 1);
        assertThatThrownBy(() -> counted.get("x")).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> counted.put("x", new byte[10])).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> counted.get("bad//key")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> counted.list("", null, 0)).isInstanceOf(IllegalArgumentException.class);

        RequestCounts c = counted.counts();
        assertThat(c.gets()).isEqualTo(1);
        assertThat(c.puts()).isEqualTo(1);
        assertThat(c.lists()).isZero();
        assertThat(c.errors()).isEqualTo(2);
        assertThat(c.bytesWritten()).isEqualTo(10);
    }

    @Test
    void snapshotsAreImmutableAndSubtractForDeltas() {
        store.put("a", new byte[3]);
        RequestCounts before = store.counts();
        store.put("b", new byte[4]);
        store.get("b");
        RequestCounts after = store.counts();

        assertThat(before.puts()).isEqualTo(1);
        RequestCounts delta = after.minus(before);
        assertThat(delta).isEqualTo(new RequestCounts(1, 1, 0, 0, 0, 0, 0, 0, 4, 4));
        assertThat(delta.plus(before)).isEqualTo(after);
        assertThat(after.minus(after)).isEqualTo(RequestCounts.ZERO);
    }

    @Test
    void costUsesS3StandardListPrices() {
        RequestCounts thousandOfEach = new RequestCounts(1000, 1000, 0, 0, 1000, 1000, 1000, 0, 0, 0);
        // PUT + LIST at $0.005/1000 each; GET + HEAD at $0.0004/1000 each; DELETE free
        assertThat(thousandOfEach.cost()).isCloseTo(0.005 + 0.005 + 0.0004 + 0.0004, within(1e-12));
        assertThat(CostModel.S3_STANDARD.cost(new RequestCounts(0, 0, 0, 0, 0, 0, 1_000_000, 0, 0, 0))).isZero();
        assertThat(new CostModel(1, 2, 3).cost(new RequestCounts(1000, 1000, 0, 0, 0, 0, 1000, 0, 0, 0)))
                .isCloseTo(6.0, within(1e-12));
        assertThatThrownBy(() -> new CostModel(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsAreExactUnderConcurrency() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        store.put("c/" + thread + "/" + i, new byte[2]);
                        store.get("c/" + thread + "/" + i);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        RequestCounts c = store.counts();
        assertThat(c.puts()).isEqualTo(4000);
        assertThat(c.gets()).isEqualTo(4000);
        assertThat(c.bytesWritten()).isEqualTo(8000);
        assertThat(c.bytesRead()).isEqualTo(8000);
    }

    @Test
    void compareAndSwapIsForwardedOnlyWhenTheDelegateHasIt() {
        assertThat(store).isInstanceOf(SupportsCompareAndSwap.class);
        assertThat(CountingObjectStore.wrap(new RetryingObjectStoreTest.ScriptedStore()))
                .isNotInstanceOf(SupportsCompareAndSwap.class);
    }
}
