using System.Collections.Immutable;
using Flows.Graph;

namespace Flows.Serialization.Tests;

/// <summary>Every supported kind of value survives the generated serializers unchanged.</summary>
public sealed class RoundTripTests
{
    [Fact]
    public void A_value_of_every_supported_kind_round_trips()
    {
        var original = Samples.Full();

        var copy = Codecs.RoundTrip("EchoEverything", original);

        Assert.Equal(Codecs.Json(original), Codecs.Json(copy));
        Assert.Equal(original.M, copy.M);
        Assert.Equal(original.Date.Kind, copy.Date.Kind);
        Assert.Equal(original.Offset, copy.Offset);
        Assert.Equal(original.Offset.Offset, copy.Offset.Offset);
        Assert.True(float.IsNaN(copy.Vector.Z));
        Assert.Equal(original.Settings!.Level, copy.Settings!.Level);
        Assert.Equal(original.Mixed!.Label, copy.Mixed!.Label);
    }

    [Fact]
    public void Random_values_round_trip_for_a_thousand_seeds()
    {
        for (var seed = 0; seed < 1000; seed++)
        {
            var original = new Random(seed).Everything();

            var copy = Codecs.RoundTrip("EchoEverything", original);

            Assert.True(Codecs.Json(original) == Codecs.Json(copy), $"seed {seed}");
        }
    }

    [Fact]
    public void A_record_with_nested_collections_round_trips()
    {
        var original = new Random(7).Order();

        var copy = Codecs.RoundTrip("EchoOrder", original);

        Assert.Equal(Codecs.Json(original), Codecs.Json(copy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1 << 20)]
    public void A_double_array_round_trips_as_one_block(int length)
    {
        var original = Enumerable.Range(0, length).Select(i => i * 0.5).ToArray();

        var copy = Codecs.RoundTrip("EchoDoubles", original);

        Assert.Equal(original, copy);
        var lengthBytes = length < 127 ? 1 : 3;
        Assert.Equal(1 + lengthBytes + (8 * length), Codecs.Arguments(Codecs.For("EchoDoubles"), original).Length);
    }

    [Fact]
    public void Nulls_round_trip_as_nulls()
    {
        Assert.Null(Codecs.RoundTrip<string?>("EchoString", null));
        Assert.Null(Codecs.RoundTrip<Node?>("EchoNode", null));
        Assert.Null(Codecs.RoundTrip<Animal?>("EchoAnimal", null));
        Assert.Null(Codecs.RoundTrip<double[]?>("EchoDoubles", null));
        Assert.True(Codecs.RoundTrip("EchoPoints", default(ImmutableArray<Point>)).IsDefault);
    }

    [Fact]
    public void Nested_generic_collections_round_trip()
    {
        var original = new List<Dictionary<string, int[]>>
        {
            new() { ["a"] = new[] { 1, 2 }, ["b"] = Array.Empty<int>() },
            new(),
            new() { ["c"] = null! },
        };

        var copy = Codecs.RoundTrip("EchoNested", original);

        Assert.Equal(Codecs.Json(original), Codecs.Json(copy));
    }

    [Fact]
    public void A_recursive_type_round_trips_up_to_the_depth_limit()
    {
        var chain = new Random(1).Chain(WireFormat.MaxDepth - 1);

        var copy = Codecs.RoundTrip("EchoNode", chain);

        Assert.Equal(Codecs.Json(chain), Codecs.Json(copy));
    }

    [Fact]
    public void A_cycle_is_refused_at_write_time_with_a_serialization_exception()
    {
        var node = new Node { Value = 1 };
        node.Next = node;

        var error = Assert.Throws<FlowSerializationException>(() => Codecs.Arguments(Codecs.For("EchoNode"), node));

        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_derived_instance_where_a_base_class_is_declared_is_refused_naming_both_types()
    {
        var error = Assert.Throws<FlowSerializationException>(() => Codecs.Arguments(Codecs.For("EchoAnimal"), new Dog { Name = "Rex" }));

        Assert.Contains("Flows.Serialization.Tests.Dog", error.Message, StringComparison.Ordinal);
        Assert.Contains("Flows.Serialization.Tests.Animal", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_arguments_round_trip_in_order_and_the_token_is_not_an_input()
    {
        var codec = Codecs.For("Add");

        var read = codec.ReadArguments(Codecs.Arguments(codec, 5, "héllo", Color.Green));

        Assert.Equal(3, read.Count);
        Assert.Equal(5, read[0]);
        Assert.Equal("héllo", read[1]);
        Assert.Equal(Color.Green, read[2]);
    }

    [Fact]
    public void Results_round_trip_and_tasks_without_a_value_read_null()
    {
        var point = Codecs.For("MakePoint");
        Assert.Equal(new Point(3, 4), point.ReadResult(Codecs.Result(point, new Point(3, 4))));

        var consume = Codecs.For("Consume");
        Assert.Null(consume.ReadResult(Codecs.Result(consume, null)));
        var wait = Codecs.For("Wait");
        Assert.Null(wait.ReadResult(Codecs.Result(wait, null)));
    }

    [Fact]
    public void The_registry_lists_every_task_once_and_flows_share_its_descriptors()
    {
        var ids = Codecs.Registry.Tasks.Select(t => t.Id).ToList();

        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(14, ids.Count);
        Assert.All(Codecs.Registry.Tasks, t => Assert.NotNull(t.Codec));
        Assert.Same(Codecs.Registry.Find("Flows.Serialization.Tests.Shipping.EchoOrder"), Node(Shipping.AgainFlow.Graph, "EchoOrder"));
        Assert.Same(Node(Shipping.RoundtripFlow.Graph, "EchoOrder"), Node(Shipping.AgainFlow.Graph, "EchoOrder"));
        Assert.Null(Codecs.Registry.Find("No.Such.Task"));
    }

    private static TaskDescriptor? Node(FlowGraph graph, string name) =>
        graph.Nodes.Single(n => n.Name == name).Task;
}
