locals {
  provisioned = var.billing_mode == "PROVISIONED"
  # The free tier's 25 RCU / 25 WCU are shared by the table and all its indexes.
  total_read  = var.provisioned_capacity.table_read + length(var.schema.global_secondary_indexes) * var.provisioned_capacity.index_read
  total_write = var.provisioned_capacity.table_write + length(var.schema.global_secondary_indexes) * var.provisioned_capacity.index_write
}

resource "aws_dynamodb_table" "this" {
  name                        = var.name
  billing_mode                = var.billing_mode
  hash_key                    = var.schema.hash_key
  range_key                   = var.schema.range_key
  read_capacity               = local.provisioned ? var.provisioned_capacity.table_read : null
  write_capacity              = local.provisioned ? var.provisioned_capacity.table_write : null
  stream_enabled              = true
  stream_view_type            = var.schema.stream_view_type
  deletion_protection_enabled = var.deletion_protection

  dynamic "attribute" {
    for_each = var.schema.attributes
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.schema.global_secondary_indexes
    content {
      name               = global_secondary_index.key
      hash_key           = global_secondary_index.value.hash_key
      range_key          = global_secondary_index.value.range_key
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.projection_type == "INCLUDE" ? global_secondary_index.value.non_key_attributes : null
      read_capacity      = local.provisioned ? var.provisioned_capacity.index_read : null
      write_capacity     = local.provisioned ? var.provisioned_capacity.index_write : null
    }
  }

  ttl {
    enabled        = true
    attribute_name = var.schema.ttl_attribute
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = !local.provisioned || (local.total_read <= 25 && local.total_write <= 25)
      error_message = "Provisioned capacity beyond the always-free 25 RCU / 25 WCU in total (table plus indexes)."
    }
  }
}
