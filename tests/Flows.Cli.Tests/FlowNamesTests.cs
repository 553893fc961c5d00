using Flows.Cli.Host;
using Flows.Graph;

namespace Flows.Cli.Tests;

/// <summary>A flow is named by its method, or by <c>Type.Method</c> or its full id when the method's name is not enough.</summary>
public sealed class FlowNamesTests
{
    private static readonly IReadOnlyList<FlowCatalogEntry> Flows = FlowCatalog.Load(typeof(Orders).Assembly);

    [Theory]
    [InlineData("Price", "Flows.Cli.Tests.Orders.Price")]
    [InlineData("price", "Flows.Cli.Tests.Orders.Price")]
    [InlineData("Orders.Sum", "Flows.Cli.Tests.Orders.Sum")]
    [InlineData("Returns.Same", "Flows.Cli.Tests.Returns.Same")]
    [InlineData("Flows.Cli.Tests.Orders.Same", "Flows.Cli.Tests.Orders.Same")]
    public void A_flow_is_found_by_its_method_name_its_type_and_method_or_its_id(string name, string id)
    {
        Assert.Equal(id, FlowNames.Find(Flows, name, "Tests").Id);
    }

    [Fact]
    public void A_method_name_two_types_share_is_refused_with_the_names_that_tell_them_apart()
    {
        var error = Assert.Throws<CliException>(() => FlowNames.Find(Flows, "Same", "Tests"));

        Assert.Equal("More than one flow in 'Tests' is named 'Same': say which with Orders.Same or Returns.Same.", error.Message);
    }

    [Fact]
    public void An_unknown_name_is_refused_with_the_flows_there_are()
    {
        var error = Assert.Throws<CliException>(() => FlowNames.Find(Flows, "Prise", "Tests"));

        Assert.Equal("Project 'Tests' has no flow named 'Prise': its flows are Orders.Same, Price, Returns.Same, Sum (see flows list).", error.Message);
    }
}
